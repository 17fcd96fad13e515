using Relief.Load;

// eng/bench and eng/faults run this; see those scripts for the options.
var command = args.FirstOrDefault() ?? "help";
var options = new Options(args.Skip(1).ToArray());
return command switch
{
    "bench" => await new Bench(options).Run(),
    "faults" => await new Faults(options).Run(),
    "generate" => await new Generate(options).Run(),
    "read-curve" => await new ReadCurve(options).Run(),
    "marten-alone" => await new MartenAlone(options).Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Relief.Load bench --url <api> --db <connection string> [--seconds N] [--clients 1,4,16,64] [--pgbench 16=tps,...] [--service-pid N]");
    return 2;
}
