package dev.cornac.generators.secrets;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.PostgresTeamSpec;
import dev.cornac.generators.Cluster;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Human roles from PostgresTeam resources (upstream: pkg/cluster/cluster.go, initHumanUsers and
 * initTeamMembers): the owning team's members and those of its additional teams (transitively,
 * cycles ignored) as LOGIN roles in the PAM and team-admin roles, and the members of superuser
 * teams as LOGIN SUPERUSER roles. They have no password and no secret: people log in through
 * PAM/OAuth inside Spilo. The Teams API is not consulted.
 */
public final class TeamMembers {
  private TeamMembers() {}

  public static List<DesiredRole> of(Cluster c, List<PostgresTeamSpec> teams) {
    OperatorConfig config = c.config();
    if (!config.bool("enable_postgres_team_crd") || teams.isEmpty()) {
      return List.of();
    }
    Map<String, Set<String>> members = merged(teams, s -> s.additionalMembers);
    Map<String, Set<String>> additionalTeams = merged(teams, s -> s.additionalTeams);
    Map<String, Set<String>> superuserTeamsOf = merged(teams, s -> s.additionalSuperuserTeams);
    String owning = c.teamId();

    Set<String> superuserTeams = new LinkedHashSet<>(config.list("postgres_superuser_teams"));
    if (config.bool("enable_postgres_team_crd_superusers")) {
      superuserTeams.addAll(closure(owning, superuserTeamsOf));
    }
    Map<String, DesiredRole> roles = new LinkedHashMap<>();
    for (String team : superuserTeams) {
      for (String member : members.getOrDefault(team, Set.of())) {
        roles.put(
            member,
            new DesiredRole(
                member,
                DesiredRole.Origin.TEAM,
                List.of("LOGIN", "SUPERUSER"),
                List.of(),
                "",
                Map.of(),
                c.namespace()));
      }
    }
    if (superuserTeams.contains(owning)) {
      return List.copyOf(roles.values());
    }
    Set<String> normalTeams = new LinkedHashSet<>();
    normalTeams.add(owning);
    normalTeams.addAll(closure(owning, additionalTeams));
    boolean teamSuperuser = config.bool("enable_team_superuser");
    Map<String, String> parameters = new TreeMap<>(config.map("team_api_role_configuration"));
    for (String team : normalTeams) {
      for (String member : members.getOrDefault(team, Set.of())) {
        if (roles.containsKey(member)) {
          continue;
        }
        List<String> memberOf = new ArrayList<>(List.of(config.string("pam_role_name")));
        List<String> flags = new ArrayList<>(List.of("LOGIN"));
        if (teamSuperuser && team.equals(owning)) {
          flags.add("SUPERUSER");
        } else {
          memberOf.add(config.string("team_admin_role"));
        }
        roles.put(
            member,
            new DesiredRole(
                member, DesiredRole.Origin.TEAM, flags, memberOf, "", parameters, c.namespace()));
      }
    }
    return List.copyOf(roles.values());
  }

  private static Map<String, Set<String>> merged(
      List<PostgresTeamSpec> teams, Function<PostgresTeamSpec, Map<String, List<String>>> field) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (PostgresTeamSpec spec : teams) {
      Map<String, List<String>> m = field.apply(spec);
      if (m != null) {
        m.forEach(
            (team, list) ->
                out.computeIfAbsent(team, t -> new LinkedHashSet<>())
                    .addAll(list == null ? List.of() : list));
      }
    }
    return out;
  }

  /**
   * Teams reachable from {@code team} through the relation, not including itself; cycles are
   * harmless.
   */
  private static Set<String> closure(String team, Map<String, Set<String>> relation) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(relation.getOrDefault(team, Set.of()));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (!next.equals(team) && seen.add(next)) {
        todo.addAll(relation.getOrDefault(next, Set.of()));
      }
    }
    return seen;
  }
}
