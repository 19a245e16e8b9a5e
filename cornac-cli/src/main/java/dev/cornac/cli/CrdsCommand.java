package dev.cornac.cli;

import dev.cornac.api.crd.CrdManifests;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cornac crds}: print the CustomResourceDefinitions, e.g. for {@code | kubectl apply -f -}.
 */
@Command(
    name = "crds",
    mixinStandardHelpOptions = true,
    description = "Print the CRDs (postgresql, OperatorConfiguration, PostgresTeam) as YAML.")
final class CrdsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (String crd :
        List.of(
            CrdManifests.POSTGRESQL,
            CrdManifests.OPERATOR_CONFIGURATION,
            CrdManifests.POSTGRES_TEAM)) {
      out.println("---");
      out.print(CrdManifests.yaml(crd));
    }
    out.flush();
    return CliErrors.EXIT_OK;
  }
}
