package dev.cornac.generators.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.Fixtures;
import dev.cornac.generators.PodEnvironmentSources;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpiloEnvironmentTest {
  private static List<String> names(List<EnvVar> env) {
    return env.stream().map(EnvVar::getName).toList();
  }

  private static String value(List<EnvVar> env, String name) {
    return env.stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .map(EnvVar::getValue)
        .orElse(null);
  }

  @Test
  void coreVariablesComeFirstInUpstreamOrder() {
    List<EnvVar> env =
        SpiloEnvironment.of(
            Fixtures.cluster(Fixtures.MINIMAL, Map.of()), PodEnvironmentSources.NONE);
    assertThat(names(env))
        .containsExactly(
            "SCOPE",
            "PGROOT",
            "POD_IP",
            "POD_NAMESPACE",
            "PGUSER_SUPERUSER",
            "KUBERNETES_SCOPE_LABEL",
            "KUBERNETES_ROLE_LABEL",
            "PGPASSWORD_SUPERUSER",
            "PGUSER_STANDBY",
            "PGPASSWORD_STANDBY",
            "PAM_OAUTH2",
            "HUMAN_ROLE",
            "PGVERSION",
            "KUBERNETES_LABELS",
            "SPILO_CONFIGURATION",
            "DCS_ENABLE_KUBERNETES_API",
            "KUBERNETES_BOOTSTRAP_LABELS",
            "KUBERNETES_USE_CONFIGMAPS");
  }

  @Test
  void etcdReplacesTheKubernetesDcsVariables() {
    List<EnvVar> env =
        SpiloEnvironment.of(
            Fixtures.cluster(
                Fixtures.MINIMAL,
                Map.of("etcd_host", "etcd.default:2379", "enable_spilo_wal_path_compat", "true")),
            PodEnvironmentSources.NONE);
    assertThat(names(env))
        .doesNotContain(
            "DCS_ENABLE_KUBERNETES_API", "KUBERNETES_BOOTSTRAP_LABELS", "KUBERNETES_USE_CONFIGMAPS")
        .contains("ETCD_HOST", "ENABLE_WAL_PATH_COMPAT");
    assertThat(names(env).indexOf("ENABLE_WAL_PATH_COMPAT"))
        .isLessThan(names(env).indexOf("PGVERSION"));
  }

  @Test
  void manifestEnvCannotOverrideCoreVariablesComparedCaseInsensitively() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                """
        env:
        - {name: scope, value: hijack}
        - {name: MY_SETTING, value: "1"}
        """),
            Map.of());
    List<EnvVar> env = SpiloEnvironment.of(c, PodEnvironmentSources.NONE);
    assertThat(value(env, "SCOPE")).isEqualTo("acid-test");
    assertThat(names(env)).doesNotContain("scope").endsWith("MY_SETTING");
  }

  @Test
  void podEnvironmentSourcesAndBucketsFollowWithFirstWriterWinning() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith("env: [{name: wal_s3_bucket, value: from-manifest}]\n"),
            Map.of(
                "pod_environment_secret",
                "pod-secrets",
                "wal_s3_bucket",
                "config-bucket",
                "log_s3_bucket",
                "logs"));
    PodEnvironmentSources sources =
        PodEnvironmentSources.of(Map.of("B_FROM_MAP", "2", "A_SECRET", "map"), Set.of("A_SECRET"));
    List<EnvVar> env = SpiloEnvironment.of(c, sources);
    List<String> names = names(env);
    assertThat(names.subList(names.indexOf("wal_s3_bucket"), names.size()))
        .containsExactly(
            "wal_s3_bucket",
            "A_SECRET",
            "B_FROM_MAP",
            "WAL_BUCKET_SCOPE_SUFFIX",
            "WAL_BUCKET_SCOPE_PREFIX",
            "LOG_S3_BUCKET",
            "LOG_BUCKET_SCOPE_SUFFIX",
            "LOG_BUCKET_SCOPE_PREFIX");
    EnvVar secret =
        env.stream().filter(e -> e.getName().equals("A_SECRET")).findFirst().orElseThrow();
    assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pod-secrets");
    assertThat(value(env, "WAL_BUCKET_SCOPE_SUFFIX"))
        .isEqualTo("/9c4d8a4e-1f2b-4c3d-8e9f-0a1b2c3d4e5f");
  }

  @Test
  void liveCloneUsesTheSourceReplicationSecret() {
    Cluster c = Fixtures.cluster(Fixtures.minimalWith("clone: {cluster: acid-source}\n"), Map.of());
    List<EnvVar> env = SpiloEnvironment.of(c, PodEnvironmentSources.NONE);
    List<String> names = names(env);
    assertThat(names.subList(names.indexOf("CLONE_SCOPE"), names.size()))
        .containsExactly(
            "CLONE_SCOPE",
            "CLONE_METHOD",
            "CLONE_HOST",
            "CLONE_PORT",
            "CLONE_USER",
            "CLONE_PASSWORD");
    assertThat(value(env, "CLONE_METHOD")).isEqualTo("CLONE_WITH_BASEBACKUP");
    EnvVar password = env.get(names.indexOf("CLONE_PASSWORD"));
    assertThat(password.getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("standby.acid-source.credentials.postgresql.acid.zalan.do");
  }

  @Test
  void pointInTimeCloneFromS3IsAppendedWithoutDeduplication() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                """
        env: [{name: CLONE_WAL_BUCKET_SCOPE_PREFIX, value: x}]
        clone:
          cluster: acid-source
          uid: efd12e58-5786-11e8-b5a7-06148230260c
          timestamp: "2026-11-01T12:40:33+01:00"
          s3_endpoint: https://minio.local
          s3_force_path_style: true
        """),
            Map.of("wal_s3_bucket", "backups"));
    List<EnvVar> env = SpiloEnvironment.of(c, PodEnvironmentSources.NONE);
    List<String> names = names(env);
    assertThat(names.subList(names.indexOf("CLONE_SCOPE"), names.indexOf("WAL_S3_BUCKET")))
        .containsExactly(
            "CLONE_SCOPE",
            "CLONE_WAL_S3_BUCKET",
            "CLONE_WAL_BUCKET_SCOPE_SUFFIX",
            "CLONE_METHOD",
            "CLONE_TARGET_TIME",
            "CLONE_WAL_BUCKET_SCOPE_PREFIX",
            "CLONE_AWS_ENDPOINT",
            "CLONE_WALE_S3_ENDPOINT",
            "CLONE_AWS_S3_FORCE_PATH_STYLE");
    assertThat(names.stream().filter("CLONE_WAL_BUCKET_SCOPE_PREFIX"::equals)).hasSize(2);
    assertThat(value(env, "CLONE_WAL_BUCKET_SCOPE_SUFFIX"))
        .isEqualTo("/efd12e58-5786-11e8-b5a7-06148230260c");
    assertThat(value(env, "CLONE_AWS_S3_FORCE_PATH_STYLE")).isEqualTo("1");
  }

  @Test
  void standbyVariablesForHostAndWalPath() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                "standby: {standby_host: acid-primary.default, standby_port: \"5433\", s3_wal_path: \"s3://b/p\"}\n"),
            Map.of());
    List<String> names = names(SpiloEnvironment.of(c, PodEnvironmentSources.NONE));
    assertThat(names.subList(names.indexOf("STANDBY_HOST"), names.size()))
        .containsExactly(
            "STANDBY_HOST",
            "STANDBY_PORT",
            "STANDBY_WALE_S3_PREFIX",
            "STANDBY_METHOD",
            "STANDBY_WAL_BUCKET_SCOPE_PREFIX");
  }

  @Test
  void tlsFilesResolveUnderTlsAndTlsca() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                "tls: {secretName: pg-tls, caFile: ca.crt, caSecretName: pg-ca, privateKeyFile: /custom/key.pem}\n"),
            Map.of());
    List<EnvVar> env = SpiloEnvironment.of(c, PodEnvironmentSources.NONE);
    assertThat(value(env, "SSL_CERTIFICATE_FILE")).isEqualTo("/tls/tls.crt");
    assertThat(value(env, "SSL_PRIVATE_KEY_FILE")).isEqualTo("/custom/key.pem");
    assertThat(value(env, "SSL_CA_FILE")).isEqualTo("/tlsca/ca.crt");
  }

  @Test
  void fullUpgradeModeRunsTheTargetVersionBelowTheMinimum() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.MINIMAL.replace("\"17\"", "\"13\""),
            Map.of("major_version_upgrade_mode", "full"));
    assertThat(value(SpiloEnvironment.of(c, PodEnvironmentSources.NONE), "PGVERSION"))
        .isEqualTo("18");
  }
}
