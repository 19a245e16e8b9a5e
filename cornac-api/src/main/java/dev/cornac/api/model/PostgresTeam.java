package dev.cornac.api.model;

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

/**
 * {@code PostgresTeam}: extra members and teams granted access to the clusters of a team (read-only
 * for us).
 */
@Group(Postgresql.GROUP)
@Version(Postgresql.VERSION)
@Kind("PostgresTeam")
@Plural("postgresteams")
@Singular("postgresteam")
@ShortNames("pgteam")
@Categories("all")
@Labels({"app.kubernetes.io/name=postgres-operator"})
public class PostgresTeam extends CustomResource<PostgresTeamSpec, Void> implements Namespaced {}
