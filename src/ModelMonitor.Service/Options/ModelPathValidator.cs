using Microsoft.Extensions.Options;
using ModelMonitor.Service.Hosting;

namespace ModelMonitor.Service.Options;

/// <summary>Fails startup when Model:Path does not lead to a folder, naming the path it resolved to.</summary>
internal sealed class ModelPathValidator : IValidateOptions<ModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            return ValidateOptionsResult.Success; // reported by the "required" rule
        }

        var resolved = ModelPathResolver.Resolve(options.Path);
        return Directory.Exists(resolved)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Model:Path '{options.Path}' resolves to '{resolved}', which is not a folder. Set Model:Path (Model__Path in the environment, --Model:Path=... on the command line) to a model folder.");
    }
}
