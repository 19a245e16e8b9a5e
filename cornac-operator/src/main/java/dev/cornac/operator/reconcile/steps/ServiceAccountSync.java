package dev.cornac.operator.reconcile.steps;

import dev.cornac.generators.rbac.PodServiceAccountGenerator;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.Map;

/**
 * The pod ServiceAccount and RoleBinding: created when missing, never updated, except the IRSA
 * annotation (3.14).
 */
public final class ServiceAccountSync {
  private ServiceAccountSync() {}

  public static void sync(Reconciliation r) {
    ServiceAccount sa = r.desired().podServiceAccount();
    var liveSa = r.live(ServiceAccount.class, sa);
    if (liveSa.isEmpty()) {
      r.writer().createShared(sa);
      r.acted("ServiceAccount", "created pod service account " + sa.getMetadata().getName());
    } else {
      String irsa =
          sa.getMetadata().getAnnotations() == null
              ? null
              : sa.getMetadata().getAnnotations().get(PodServiceAccountGenerator.IRSA_ANNOTATION);
      Map<String, String> live = liveSa.get().getMetadata().getAnnotations();
      String liveIrsa = live == null ? null : live.get(PodServiceAccountGenerator.IRSA_ANNOTATION);
      if (irsa != null && !irsa.equals(liveIrsa)) {
        r.writer()
            .patchMetadata(
                liveSa.get(), null, Map.of(PodServiceAccountGenerator.IRSA_ANNOTATION, irsa), null);
        r.acted(
            "ServiceAccount", "set the IRSA role of service account " + sa.getMetadata().getName());
      }
    }
    RoleBinding rb = r.desired().podRoleBinding();
    if (r.live(RoleBinding.class, rb).isEmpty()) {
      r.writer().createShared(rb);
      r.acted("RoleBinding", "created pod role binding " + rb.getMetadata().getName());
    }
  }
}
