package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** Team name → list of teams or members, as in upstream's PostgresTeam. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class PostgresTeamSpec extends Extensible {
  public Map<String, List<String>> additionalSuperuserTeams;
  public Map<String, List<String>> additionalTeams;
  public Map<String, List<String>> additionalMembers;
}
