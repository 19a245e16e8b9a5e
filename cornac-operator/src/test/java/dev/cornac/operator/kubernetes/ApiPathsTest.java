package dev.cornac.operator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiPathsTest {
  @Test
  void tellsNamedObjectsFromCollections() {
    assertThat(ApiPaths.isNamedObject("/api/v1/namespaces/default/pods?labelSelector=x")).isFalse();
    assertThat(ApiPaths.isNamedObject("/api/v1/pods?watch=true")).isFalse();
    assertThat(ApiPaths.isNamedObject("/apis/apps/v1/namespaces/default/statefulsets")).isFalse();
    assertThat(ApiPaths.isNamedObject("/api/v1/namespaces/default/pods/acid-0")).isTrue();
    assertThat(
            ApiPaths.isNamedObject(
                "/apis/acid.zalan.do/v1/namespaces/default/postgresqls/a/status"))
        .isTrue();
    assertThat(ApiPaths.isNamedObject("/api/v1/namespaces/default")).isTrue();
    assertThat(ApiPaths.isNamedObject("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x"))
        .isTrue();
  }
}
