package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Requests and limits of a container, as strings the way upstream stores them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class Resources extends Extensible {
  public ResourceDescription requests;
  public ResourceDescription limits;
}
