package dev.cornac.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cornac.testkit.RbacUsage;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Least privilege, measured: every test that talks to Kubernetes runs on the strict test API server
 * as the identity the component has in production, and the server records each (verb, resource) it
 * allowed. After the operator, UI and CLI suites ran (this module comes after them in the build),
 * every right a shipped role grants must have been used by some test, or be listed below with the
 * reason it is needed anyway. A right used but not granted cannot happen: the server refused it,
 * and the test that needed it failed.
 */
class ShippedRbacUsageTest {
  /** Rights no test can show being used, each with why it is shipped. */
  static final Map<String, String> NEEDED_UNSEEN =
      Map.of(
          "update coordination.k8s.io leases",
          "JOSDK's start-up check demands it, though the elector renews by patch");

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "operator, manifests/operator-service-account-rbac.yaml, postgres-operator, "
        + "system:serviceaccount:default:postgres-operator",
    "operator-openshift, manifests/operator-service-account-rbac-openshift.yaml, postgres-operator, "
        + "system:serviceaccount:default:postgres-operator",
    "ui, manifests/ui/rbac.yaml, postgres-operator-ui, system:serviceaccount:default:postgres-operator-ui",
    "cli, manifests/cli-user-rbac.yaml, postgres-cluster-user, alice"
  })
  void everyShippedRightIsUsedBySomeTest(String component, String file, String role, String user)
      throws Exception {
    Set<String> used = usedBy(user);
    assertThat(used)
        .as(
            "no usage recorded for %s under %s: run the whole suite (mvn verify), whose %s tests "
                + "record it",
            user, RbacUsage.folder(), component)
        .isNotEmpty();
    Set<String> granted = granted(Installs.repoRoot().resolve(file), role);

    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(used);
    unused.removeAll(NEEDED_UNSEEN.keySet());
    Files.createDirectories(RbacUsage.folder());
    Files.write(RbacUsage.folder().resolve("report-" + component + ".txt"), report(granted, used));
    assertThat(unused)
        .as(
            "rights %s grants that no %s test used: drop them from %s (and the Helm chart), or "
                + "test the path that needs them",
            role, component, file)
        .isEmpty();
  }

  private static List<String> report(Set<String> granted, Set<String> used) {
    List<String> lines = new ArrayList<>();
    for (String right : granted) {
      lines.add(
          (used.contains(right)
                  ? "used    "
                  : NEEDED_UNSEEN.containsKey(right) ? "needed  " : "UNUSED  ")
              + right
              + (NEEDED_UNSEEN.containsKey(right) ? "  (" + NEEDED_UNSEEN.get(right) + ")" : ""));
    }
    return lines;
  }

  /** Every (verb, group, resource) a ClusterRole of the file grants, wildcards left as they are. */
  static Set<String> granted(Path file, String roleName) throws IOException {
    Set<String> out = new TreeSet<>();
    try (MappingIterator<JsonNode> docs =
        new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
      for (JsonNode doc : docs.readAll()) {
        if (doc.path("kind").asText().equals("ClusterRole")
            && doc.path("metadata").path("name").asText().equals(roleName)) {
          ClusterRole role = Serialization.jsonMapper().convertValue(doc, ClusterRole.class);
          for (PolicyRule rule : role.getRules()) {
            for (String verb : rule.getVerbs()) {
              for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                  out.add(verb + " " + (group.isEmpty() ? "core" : group) + " " + resource);
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** The union of what every test server recorded for one identity. */
  static Set<String> usedBy(String user) throws IOException {
    Path dir = RbacUsage.folder().resolve(user.replace(':', '_'));
    Set<String> out = new TreeSet<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        out.addAll(Files.readAllLines(f));
      }
    }
    return out;
  }
}
