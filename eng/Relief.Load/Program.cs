using Relief.Load;

// eng/bench, eng/faults and eng/profile-write run this; see those scripts for the options.
var command = args.FirstOrDefault() ?? "help";
var options = new Options(args.Skip(1).ToArray());
return command switch
{
    "bench" => await RunOnce(new Bench(options), c => c.Run()),
    "faults" => await RunOnce(new Faults(options), c => c.Run()),
    "generate" => await RunOnce(new Generate(options), c => c.Run()),
    "read-curve" => await RunOnce(new ReadCurve(options), c => c.Run()),
    "marten-alone" => await new MartenAlone(options).Run(),
    "profile" => await RunOnce(new Profile(options), c => c.Run()),
    "perf-breakdown" => Profile.PrintBreakdown(options),
    _ => Usage(),
};

// A command owns its HTTP client and data source (faults also its acknowledgement log): released when it is done.
static async Task<int> RunOnce<T>(T command, Func<T, Task<int>> run) where T : IDisposable
{
    using (command)
    {
        return await run(command);
    }
}

static int Usage()
{
    Console.Error.WriteLine("usage: Relief.Load bench --url <api> --db <connection string> [--seconds N] [--clients 1,4,16,64] [--pgbench 16=tps,...] [--service-pid N]");
    return 2;
}
