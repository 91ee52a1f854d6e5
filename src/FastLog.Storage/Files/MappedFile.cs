using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace FastLog.Storage.Files;

/// <summary>
/// A file of the log (segment or index) whose handle and mapping are opened on demand through a
/// <see cref="FileCache"/>, so that tens of thousands of them fit within the open-files limit and
/// vm.max_map_count. The object itself is cheap and lives as long as the segment.
/// </summary>
public sealed class MappedFile(string path, bool writableMapping)
{
    public string Path { get; private set; } = path;
    public bool WritableMapping { get; } = writableMapping;

    /// <summary>The open handle and mapping; null while closed. Guarded by the cache's lock.</summary>
    internal OpenedFile? Opened { get; set; }

    internal LinkedListNode<MappedFile>? LruNode { get; set; }

    /// <summary>Renames the file on disk; an open handle stays valid across a rename on POSIX.</summary>
    internal void MoveTo(string newPath)
    {
        File.Move(Path, newPath);
        Path = newPath;
    }
}

/// <summary>
/// What one open of a <see cref="MappedFile"/> holds. Leases count references; a retired instance (evicted, or
/// replaced because the file changed length) is disposed when its last lease ends, so a reader is never cut off.
/// </summary>
internal sealed unsafe class OpenedFile : IDisposable
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;

    public OpenedFile(string path, bool writableMapping)
    {
        Handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        MappedLength = RandomAccess.GetLength(Handle);
        if (MappedLength == 0)
        {
            return; // an empty file cannot be mapped, and there is nothing to read
        }
        var access = writableMapping ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.Read;
        try
        {
            _map = MemoryMappedFile.CreateFromFile(Handle, null, 0, access, HandleInheritability.None, leaveOpen: true);
            _view = _map.CreateViewAccessor(0, 0, access);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            Pointer = pointer + _view.PointerOffset;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public SafeFileHandle Handle { get; }
    public byte* Pointer { get; }

    /// <summary>The file's length when it was mapped; bytes past it must never be touched (SIGBUS).</summary>
    public long MappedLength { get; }

    public int References { get; set; }
    public bool Retired { get; set; }

    public void Dispose()
    {
        if (_view is not null)
        {
            if (Pointer != null)
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
            _view.Dispose();
        }
        _map?.Dispose();
        Handle.Dispose();
    }
}
