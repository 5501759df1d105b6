using System.Runtime.InteropServices;

namespace ModelMonitor.Inference.Native;

/// <summary>Base for the SafeHandles that own ORT objects; each subclass knows its Release function.</summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Keeps the handle alive (and un-released) for the duration of a native call.</summary>
    internal Lease Acquire() => new(this);

    protected abstract void Release(nint value);

    protected override bool ReleaseHandle()
    {
        Release(handle);
        return true;
    }

    /// <summary>AddRef/Release pair, so a concurrent Dispose cannot free the object mid-call.</summary>
    internal readonly ref struct Lease
    {
        private readonly OrtHandle owner;
        private readonly bool added;

        internal Lease(OrtHandle owner)
        {
            this.owner = owner;
            var ok = false;
            owner.DangerousAddRef(ref ok);
            added = ok;
            Pointer = owner.DangerousGetHandle();
        }

        internal nint Pointer { get; }

        public void Dispose()
        {
            if (added)
            {
                owner.DangerousRelease();
            }
        }
    }
}

internal sealed unsafe class OrtEnvHandle : OrtHandle
{
    protected override void Release(nint value) => OrtApi.Instance.ReleaseEnv(value);
}

internal sealed unsafe class OrtSessionOptionsHandle : OrtHandle
{
    protected override void Release(nint value) => OrtApi.Instance.ReleaseSessionOptions(value);
}

internal sealed unsafe class OrtSessionHandle : OrtHandle
{
    protected override void Release(nint value) => OrtApi.Instance.ReleaseSession(value);
}

internal sealed unsafe class OrtValueHandle : OrtHandle
{
    protected override void Release(nint value) => OrtApi.Instance.ReleaseValue(value);
}

internal sealed unsafe class OrtMemoryInfoHandle : OrtHandle
{
    protected override void Release(nint value) => OrtApi.Instance.ReleaseMemoryInfo(value);
}

internal sealed unsafe class OrtTypeInfoHandle : OrtHandle
{
    protected override void Release(nint value) => OrtApi.Instance.ReleaseTypeInfo(value);
}

internal sealed unsafe class OrtTensorTypeAndShapeInfoHandle : OrtHandle
{
    protected override void Release(nint value) => OrtApi.Instance.ReleaseTensorTypeAndShapeInfo(value);
}

internal sealed unsafe class OrtRunOptionsHandle : OrtHandle
{
    protected override void Release(nint value) => OrtApi.Instance.ReleaseRunOptions(value);
}

/// <summary>Creates SafeHandles from out-pointers filled by ORT.</summary>
internal static class OrtHandleFactory
{
    internal static T Wrap<T>(nint value)
        where T : OrtHandle, new()
    {
        var handle = new T();
        Marshal.InitHandle(handle, value);
        return handle;
    }
}
