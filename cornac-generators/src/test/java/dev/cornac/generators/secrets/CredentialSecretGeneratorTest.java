package dev.cornac.generators.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.Fixtures;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CredentialSecretGeneratorTest {
  private static String decode(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  void secretNamesReplaceUnderscoresAndFollowTheTemplate() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith("users: {foo_user: [], reader: [nologin], admin: []}\n"),
            Map.of());
    List<Secret> secrets = CredentialSecretGenerator.generate(c, Credentials.placeholder());
    assertThat(secrets)
        .extracting(s -> s.getMetadata().getName())
        .containsExactly(
            "postgres.acid-test.credentials.postgresql.acid.zalan.do",
            "standby.acid-test.credentials.postgresql.acid.zalan.do",
            "foo-user.acid-test.credentials.postgresql.acid.zalan.do");
    Secret foo = secrets.get(2);
    assertThat(decode(foo, "username")).isEqualTo("foo_user");
    assertThat(foo.getType()).isEqualTo("Opaque");
    assertThat(foo.getMetadata().getLabels())
        .isEqualTo(Map.of("application", "spilo", "cluster-name", "acid-test", "team", "acid"));
  }

  @Test
  void passwordsAreSixtyFourRandomAlphanumerics() {
    Set<String> passwords =
        java.util.stream.IntStream.range(0, 50)
            .mapToObj(i -> PasswordGenerator.generate())
            .collect(Collectors.toSet());
    assertThat(passwords).hasSize(50).allSatisfy(p -> assertThat(p).matches("[a-zA-Z0-9]{64}"));
    Cluster c = Fixtures.cluster(Fixtures.MINIMAL, Map.of());
    Secret s = CredentialSecretGenerator.generate(c, Credentials.random()).get(0);
    assertThat(decode(s, "password")).matches("[a-zA-Z0-9]{64}");
  }

  @Test
  void existingPasswordsAreNeverRegeneratedAndNewOnesAreConsistent() {
    Map<String, String> stored =
        Map.of("postgres.acid-test.credentials.postgresql.acid.zalan.do", "kept");
    Credentials credentials =
        Credentials.keepingExisting(name -> java.util.Optional.ofNullable(stored.get(name)));
    assertThat(
            credentials.password(
                "postgres.acid-test.credentials.postgresql.acid.zalan.do", "postgres"))
        .isEqualTo("kept");
    String fresh =
        credentials.password("pooler.acid-test.credentials.postgresql.acid.zalan.do", "pooler");
    assertThat(fresh).matches("[a-zA-Z0-9]{64}");
    assertThat(
            credentials.password("pooler.acid-test.credentials.postgresql.acid.zalan.do", "pooler"))
        .isEqualTo(fresh);
  }

  @Test
  void placeholderCredentialsNeverCarryARealPassword() {
    Cluster c = Fixtures.cluster(Fixtures.MINIMAL, Map.of());
    assertThat(CredentialSecretGenerator.generate(c, Credentials.placeholder()))
        .allSatisfy(s -> assertThat(decode(s, "password")).isEqualTo(Credentials.PLACEHOLDER));
  }

  @Test
  void preparedDatabaseDefaultUsersGetSecretsAndGroupRolesDoNot() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                "preparedDatabases: {bar: {defaultUsers: true, schemas: {data: {}, history: {defaultUsers: true}}}}\n"),
            Map.of());
    List<String> roles = DesiredRoles.of(c).stream().map(DesiredRole::name).toList();
    assertThat(roles)
        .contains(
            "bar_owner",
            "bar_reader",
            "bar_writer",
            "bar_owner_user",
            "bar_data_owner",
            "bar_history_writer_user");
    List<String> secretUsers =
        CredentialSecretGenerator.generate(c, Credentials.placeholder()).stream()
            .map(s -> decode(s, "username"))
            .toList();
    assertThat(secretUsers)
        .contains("bar_owner_user", "bar_reader_user", "bar_writer_user", "bar_history_owner_user")
        .doesNotContain("bar_owner", "bar_data_owner_user");
    DesiredRole writer =
        DesiredRoles.of(c).stream()
            .filter(r -> r.name().equals("bar_writer"))
            .findFirst()
            .orElseThrow();
    assertThat(writer.memberOf()).containsExactly("bar_reader");
    assertThat(writer.adminRole()).isEqualTo("bar_owner");
    assertThat(writer.parameters()).containsEntry("search_path", "\"$user\", data, history");
  }

  @Test
  void emptyPreparedDatabasesMeansOneNamedAfterTheCluster() {
    Cluster c = Fixtures.cluster(Fixtures.minimalWith("preparedDatabases: {}\n"), Map.of());
    assertThat(DesiredRoles.of(c))
        .extracting(DesiredRole::name)
        .contains("acid_test_owner", "acid_test_data_owner");
  }

  @Test
  void protectedAndSystemNamesAreSkippedAndPoolerUserAdded() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                "users: {admin: [], postgres: [], app: []}\nenableConnectionPooler: true\n"),
            Map.of());
    assertThat(DesiredRoles.of(c))
        .extracting(DesiredRole::name)
        .containsExactly("postgres", "standby", "app", "pooler");
    Secret pooler = CredentialSecretGenerator.generate(c, Credentials.placeholder()).get(3);
    assertThat(pooler.getMetadata().getLabels())
        .isEqualTo(
            Map.of(
                "application",
                "db-connection-pooler",
                "cluster-name",
                "acid-test",
                "connection-pooler",
                "acid-test-pooler"));
  }

  @Test
  void crossNamespaceUsersPutTheirSecretInThatNamespaceWithoutOwnerReference() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith("users: {apps.writer: []}\n"),
            Map.of("enable_cross_namespace_secret", "true", "enable_owner_references", "true"));
    Secret s = CredentialSecretGenerator.generate(c, Credentials.placeholder()).get(2);
    assertThat(s.getMetadata().getNamespace()).isEqualTo("apps");
    assertThat(s.getMetadata().getName())
        .isEqualTo("apps.writer.acid-test.credentials.postgresql.acid.zalan.do");
    assertThat(s.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(
            CredentialSecretGenerator.generate(c, Credentials.placeholder())
                .get(0)
                .getMetadata()
                .getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getKind()).isEqualTo("postgresql");
              assertThat(r.getController()).isTrue();
              assertThat(r.getBlockOwnerDeletion()).isNull();
            });
  }
}
