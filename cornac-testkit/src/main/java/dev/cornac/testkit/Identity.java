package dev.cornac.testkit;

import java.util.ArrayList;
import java.util.List;

/** Who a request comes from, as the API server's authenticator names it. */
public record Identity(String user, List<String> groups) {
  /** The tests' own client: a cluster administrator, like kubeadm's {@code kubernetes-admin}. */
  public static final Identity ADMIN =
      new Identity("kubernetes-admin", List.of("system:masters", "system:authenticated"));

  /**
   * A ServiceAccount as its token authenticates: {@code system:serviceaccount:NS:NAME} with its
   * groups.
   */
  public static Identity serviceAccount(String namespace, String name) {
    return new Identity(
        "system:serviceaccount:" + namespace + ":" + name,
        List.of(
            "system:serviceaccounts",
            "system:serviceaccounts:" + namespace,
            "system:authenticated"));
  }

  /** A person from a kubeconfig, in the given groups. */
  public static Identity user(String name, String... groups) {
    List<String> all = new ArrayList<>(List.of(groups));
    all.add("system:authenticated");
    return new Identity(name, List.copyOf(all));
  }

  public boolean isAdmin() {
    return groups.contains("system:masters");
  }
}
