package dev.cornac.cli;

import dev.cornac.operator.OperatorHarness;
import dev.cornac.testkit.Identity;
import dev.cornac.testkit.StrictApiServer;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.nio.file.Path;

/**
 * Kubeconfigs for the people the CLI tests play, with the rights the docs tell teams to give them.
 */
final class TestKubeconfig {
  private TestKubeconfig() {}

  /**
   * A DBA as the README tells teams to set one up: the shipped {@code postgres-cluster-user} role
   * bound to the group {@code dba} in the namespace, and nothing more.
   */
  static Path forDba(StrictApiServer api, Path dir, String namespace) {
    if (api.adminClient().rbac().clusterRoles().withName("postgres-cluster-user").get() == null) {
      api.apply(OperatorHarness.repoRoot().resolve("manifests/cli-user-rbac.yaml"), namespace);
    }
    api.adminClient()
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("dba-cornac")
                .withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "postgres-cluster-user")
                .addNewSubject()
                .withKind("Group")
                .withApiGroup("rbac.authorization.k8s.io")
                .withName("dba")
                .endSubject()
                .build())
        .createOr(existing -> existing.update());
    return api.kubeconfig(dir.resolve("kubeconfig-dba"), Identity.user("alice", "dba"), namespace);
  }
}
