package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Map;

/**
 * {@code OperatorConfiguration}: the operator settings as a custom resource. The settings sit under
 * the top-level {@code configuration} key (not {@code spec}); {@code
 * dev.cornac.api.config.OperatorConfigReader} reads them.
 */
@Group(Postgresql.GROUP)
@Version(Postgresql.VERSION)
@Kind("OperatorConfiguration")
@Plural("operatorconfigurations")
@Singular("operatorconfiguration")
@ShortNames("opconfig")
@Categories("all")
@Labels({"app.kubernetes.io/name=postgres-operator"})
@AdditionalPrinterColumn(
    name = "Image",
    jsonPath = ".configuration.docker_image",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Cluster-Label",
    jsonPath = ".configuration.kubernetes.cluster_name_label",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Service-Account",
    jsonPath = ".configuration.kubernetes.pod_service_account_name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Min-Instances",
    jsonPath = ".configuration.min_instances",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "configuration"})
public class OperatorConfiguration extends CustomResource<Void, Void> implements Namespaced {
  @Required @PreserveUnknownFields private Map<String, Object> configuration;

  public Map<String, Object> getConfiguration() {
    return configuration;
  }

  public void setConfiguration(Map<String, Object> configuration) {
    this.configuration = configuration;
  }
}
