using ModelMonitor.Inference.Classification;
using ModelMonitor.Testing;

namespace ModelMonitor.Inference.Tests.Classification;

public sealed class ModelFolderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mm-folder-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Shared_default_model_opens_with_labels_name_and_version()
    {
        var folder = ModelFolder.Open(TestPaths.Sst2TinyModel);
        Assert.Equal(["NEGATIVE", "POSITIVE"], folder.Labels);
        Assert.Equal("sst2-tiny", folder.Name);
        Assert.Equal("1.0.0", folder.Version);
        Assert.Equal(Path.Combine(folder.Directory, "model.onnx"), folder.ModelFile);
        Assert.Equal(512, folder.MaxPositionEmbeddings);
    }

    [Fact]
    public void Missing_folder_is_named_in_the_error()
    {
        var missing = Path.Combine(directory, "nope");
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(missing));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_folder_lists_every_missing_part_in_one_message()
    {
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(directory));
        Assert.Contains("no ONNX model", error.Message, StringComparison.Ordinal);
        Assert.Contains("no tokenizer", error.Message, StringComparison.Ordinal);
        Assert.Contains("config.json is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_without_id2label_is_rejected()
    {
        CopyModelAndTokenizer();
        File.WriteAllText(Path.Combine(directory, "config.json"), """{"model_type": "distilbert"}""");
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(directory));
        Assert.Contains("id2label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_that_is_not_json_is_rejected()
    {
        CopyModelAndTokenizer();
        File.WriteAllText(Path.Combine(directory, "config.json"), "{ oops");
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(directory));
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_in_onnx_subfolder_is_found()
    {
        Directory.CreateDirectory(Path.Combine(directory, "onnx"));
        File.Copy(Path.Combine(TestPaths.Sst2TinyModel, "model.onnx"), Path.Combine(directory, "onnx", "model_quantized.onnx"));
        File.Copy(Path.Combine(TestPaths.Sst2TinyModel, "tokenizer.json"), Path.Combine(directory, "tokenizer.json"));
        File.Copy(Path.Combine(TestPaths.Sst2TinyModel, "config.json"), Path.Combine(directory, "config.json"));
        var folder = ModelFolder.Open(directory);
        Assert.EndsWith(Path.Combine("onnx", "model_quantized.onnx"), folder.ModelFile, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_name_is_the_model_name_when_config_has_none()
    {
        CopyModelAndTokenizer();
        File.WriteAllText(Path.Combine(directory, "config.json"), """{"id2label": {"0": "NO", "1": "YES"}}""");
        var folder = ModelFolder.Open(directory);
        Assert.Equal(Path.GetFileName(directory), folder.Name);
        Assert.Equal("unversioned", folder.Version);
    }

    private void CopyModelAndTokenizer()
    {
        File.Copy(Path.Combine(TestPaths.Sst2TinyModel, "model.onnx"), Path.Combine(directory, "model.onnx"));
        File.Copy(Path.Combine(TestPaths.Sst2TinyModel, "tokenizer.json"), Path.Combine(directory, "tokenizer.json"));
    }
}
