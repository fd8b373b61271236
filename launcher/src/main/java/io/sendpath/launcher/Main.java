package io.sendpath.launcher;

import io.sendpath.actors.run.Simulation;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sendpath}: the command line. Subcommands: run, drill, bench. */
@Command(
    name = "sendpath",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Emulates the Linux 6.18 TCP send path, write() to Ethernet frames, every layer an actor.",
    footer = {"", "Run 'sendpath run --help' for scenario keys, outputs and exit statuses."})
public final class Main implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  /** 'sendpath' alone: the usage on stderr, status 2. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("sendpath: missing command (try 'sendpath run')");
    spec.commandLine().usage(spec.commandLine().getErr());
    return RunCommand.EXIT_USAGE;
  }

  public static void main(String[] args) {
    System.exit(commandLine(Simulation::run).execute(args));
  }

  /** The command line with its subcommands, running experiments with runner. */
  public static CommandLine commandLine(SimulationRunner runner) {
    return commandLine(runner, Clock.systemDefaultZone(), () -> System.console() != null);
  }

  static CommandLine commandLine(SimulationRunner runner, Clock clock, BooleanSupplier interactive) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.addSubcommand("run", new RunCommand(runner, clock, interactive));
    cmd.addSubcommand("drill", new io.sendpath.drill.DrillCommand());
    cmd.addSubcommand("bench", new BenchCommand(BenchCommand.ChildProcesses::new, clock));
    // Bad options: one line and status 2, never a usage dump or a stack trace.
    cmd.setParameterExceptionHandler((ex, args) -> {
      CommandLine where = ex.getCommandLine();
      String message = String.valueOf(ex.getMessage()).replace('\n', ' ').replace('\r', ' ').trim();
      where.getErr().println("sendpath: " + message + " (see '" + where.getCommandSpec().qualifiedName() + " --help')");
      where.getErr().flush();
      return RunCommand.EXIT_USAGE;
    });
    cmd.setExecutionExceptionHandler((ex, where, parseResult) -> {
      where.getErr().println("sendpath: the run failed: " + ex);
      ex.printStackTrace(where.getErr());
      where.getErr().flush();
      return RunCommand.EXIT_FAILED;
    });
    return cmd;
  }

  /** The version from the jar manifest (Implementation-Version), "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"sendpath " + (v == null ? "dev" : v)};
    }
  }
}
