package dev.cornac.api.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.cornac.api.model.ManifestMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the YAML documents of a manifest file; syntax errors name the file, line and column. */
public final class ManifestReader {
  private ManifestReader() {}

  public static List<JsonNode> documents(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ManifestFileException(file + ": no such file");
    } catch (IOException e) {
      throw new ManifestFileException(file + ": cannot be read (" + e.getMessage() + ")");
    }
    return documents(file.toString(), text);
  }

  public static List<JsonNode> documents(String source, String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser parser = ManifestMapper.yaml().getFactory().createParser(text);
        MappingIterator<JsonNode> it = ManifestMapper.yaml().readValues(parser, JsonNode.class)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new ManifestFileException(source + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr())
          + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new ManifestFileException(source + ": cannot be read (" + e.getMessage() + ")");
    } catch (RuntimeException e) {
      throw new ManifestFileException(source + ": not valid YAML: " + e.getMessage());
    }
    return docs;
  }

  /** A file that cannot be read or parsed at all. */
  public static class ManifestFileException extends RuntimeException {
    public ManifestFileException(String message) {
      super(message);
    }
  }
}
