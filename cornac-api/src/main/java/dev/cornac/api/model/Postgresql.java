package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Optional;

/**
 * The {@code postgresql} resource of group {@code acid.zalan.do/v1}, exactly as the Zalando
 * operator defines it.
 */
@Group(Postgresql.GROUP)
@Version(Postgresql.VERSION)
@Kind(Postgresql.KIND)
@Plural("postgresqls")
@Singular("postgresql")
@ShortNames("pg")
@Categories("all")
@Labels({"app.kubernetes.io/name=postgres-operator"})
@AdditionalPrinterColumn(
    name = "Team",
    jsonPath = ".spec.teamId",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Version",
    jsonPath = ".spec.postgresql.version",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Pods",
    jsonPath = ".spec.numberOfInstances",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Volume",
    jsonPath = ".spec.volume.size",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "CPU-Request",
    jsonPath = ".spec.resources.requests.cpu",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Memory-Request",
    jsonPath = ".spec.resources.requests.memory",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Status",
    jsonPath = ".status.PostgresClusterStatus",
    type = AdditionalPrinterColumn.Type.STRING)
public class Postgresql extends CustomResource<PostgresqlSpec, PostgresqlStatus>
    implements Namespaced {
  public static final String GROUP = "acid.zalan.do";
  public static final String VERSION = "v1";
  public static final String KIND = "postgresql";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /**
   * Why the stored object could not be read into this model (its spec is then null); see
   * UnreadablePostgresql.
   */
  @JsonIgnore private String unreadable;

  public Optional<String> unreadable() {
    return Optional.ofNullable(unreadable);
  }

  /**
   * Marks the object as not readable into the model; the mark lives in memory only, never in the
   * stored object.
   */
  public void markUnreadable(String why) {
    this.unreadable = why;
  }
}
