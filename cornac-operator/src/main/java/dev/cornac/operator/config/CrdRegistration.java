package dev.cornac.operator.config;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.crd.CrdManifests;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.dataplane.wait.Poll;
import dev.cornac.generators.plan.ObjectMatcher;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code enable_crd_registration} (upstream's default) the operator installs the {@code
 * postgresql} CRD at start-up, or brings an existing one's spec up to date, then waits until it is
 * Established (upstream: pkg/controller/util.go, createOperatorCRD). An unchanged CRD is not
 * written.
 */
public final class CrdRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(CrdRegistration.class);

  private CrdRegistration() {}

  public static void register(
      KubernetesClient client, OperatorConfig config, Duration interval, Duration timeout) {
    if (!config.bool("enable_crd_registration")) {
      return;
    }
    CustomResourceDefinition desired =
        ManifestMapper.convert(
            CrdManifests.finished(CrdManifests.POSTGRESQL), CustomResourceDefinition.class);
    if (!config.list("crd_categories").isEmpty()) {
      desired.getSpec().getNames().setCategories(config.list("crd_categories"));
    }
    var crds = client.apiextensions().v1().customResourceDefinitions();
    CustomResourceDefinition live = crds.withName(CrdManifests.POSTGRESQL).get();
    if (live == null) {
      crds.resource(desired).create();
      LOG.info("registered CRD {}", CrdManifests.POSTGRESQL);
    } else if (!ObjectMatcher.covers(desired.getSpec(), live.getSpec())) {
      live.setSpec(desired.getSpec());
      crds.resource(live).update();
      LOG.info("updated CRD {}", CrdManifests.POSTGRESQL);
    }
    if (config.bool("enable_postgres_team_crd")
        && crds.withName(CrdManifests.POSTGRES_TEAM).get() == null) {
      crds.resource(
              ManifestMapper.convert(
                  CrdManifests.finished(CrdManifests.POSTGRES_TEAM),
                  CustomResourceDefinition.class))
          .create();
      LOG.info("registered CRD {} (enable_postgres_team_crd)", CrdManifests.POSTGRES_TEAM);
    }
    Optional<Boolean> established;
    try {
      established = Poll.within(timeout, interval, () -> established(crds), e -> false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (established.isEmpty()) {
      LOG.warn(
          "CRD {} is not reported Established after {}s; continuing",
          CrdManifests.POSTGRESQL,
          timeout.toSeconds());
    }
  }

  /** Present once the API server serves the CRD; an error when it refused its names. */
  private static Optional<Boolean> established(
      NonNamespaceOperation<
              CustomResourceDefinition,
              CustomResourceDefinitionList,
              Resource<CustomResourceDefinition>>
          crds) {
    CustomResourceDefinition crd = crds.withName(CrdManifests.POSTGRESQL).get();
    if (crd == null || crd.getStatus() == null || crd.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    var conditions = crd.getStatus().getConditions();
    if (conditions.stream()
        .anyMatch(c -> "NamesAccepted".equals(c.getType()) && "False".equals(c.getStatus()))) {
      throw new IllegalStateException(
          "CRD " + CrdManifests.POSTGRESQL + " names were not accepted: " + conditions);
    }
    return conditions.stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()))
        ? Optional.of(true)
        : Optional.empty();
  }
}
