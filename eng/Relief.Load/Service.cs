using System.Diagnostics;

namespace Relief.Load;

/// <summary>
/// The Relief API as a child process that the fault drill can kill with SIGKILL and start again.
/// It inherits this process's environment (eng/faults sets the connection string, keys and URL).
/// </summary>
public sealed class Service(string apiDll, string log)
{
    private Process? _process;

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    public void Start()
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = Directory(),
            UseShellExecute = false,
        };
        // exec: the process id is the service's own, so that a kill reaches it and nothing else.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec dotnet '{apiDll}' >> '{log}' 2>&1");
        _process = Process.Start(start) ?? throw new InvalidOperationException("the service did not start");
    }

    /// <summary>
    /// Where the service runs, for its appsettings.json: next to a published dll, or the project
    /// directory (three levels above a dll in bin/Release/net10.0).
    /// </summary>
    private string Directory()
    {
        var beside = Path.GetDirectoryName(apiDll)!;
        return !beside.Contains("/bin/", StringComparison.Ordinal)
            ? beside
            : Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(beside)))!;
    }

    /// <summary>kill -9: no shutdown, no flush, whatever requests were in flight.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            p.WaitForExit();
        }
    }

    /// <summary>
    /// Runs one of the service's commands (<c>audit-verify</c>...) where and as the service runs;
    /// answers its exit code and output.
    /// </summary>
    public async Task<(int ExitCode, string Output)> Command(string name)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Directory(), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.ArgumentList.Add(apiDll);
        start.ArgumentList.Add(name);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output) + (await error));
    }

    public void Stop()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            p.WaitForExit();
        }
    }
}

/// <summary>Runs a shell command (eng/faults passes the PostgreSQL stop and start commands).</summary>
public static class Shell
{
    public static async Task Run(string command)
    {
        var start = new ProcessStartInfo("/bin/bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
