package dev.cornac.api.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.text.Printable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the YAML documents of a manifest file as strictly as kubectl does (UTF-8 only, no key twice
 * in a mapping); every problem names the file, line and column, and the field when there is one.
 */
public final class ManifestReader {
  private ManifestReader() {}

  public static List<JsonNode> documents(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ManifestFileException(file + ": no such file");
    } catch (IOException e) {
      throw new ManifestFileException(file + ": cannot be read (" + e.getMessage() + ")");
    }
    return documents(file.toString(), utf8(file.toString(), bytes));
  }

  public static List<JsonNode> documents(String source, String text) {
    List<JsonNode> docs = new ArrayList<>();
    JsonParser parser = null;
    try {
      parser = ManifestMapper.yaml().getFactory().createParser(text);
      try (MappingIterator<JsonNode> it =
          ManifestMapper.yaml().readValues(parser, JsonNode.class)) {
        while (it.hasNextValue()) {
          JsonNode doc = it.nextValue();
          if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
            docs.add(doc);
          }
        }
      }
    } catch (JsonProcessingException e) {
      throw new ManifestFileException(YamlProblem.describe(source, e, parser));
    } catch (IOException | RuntimeException e) {
      throw new ManifestFileException(source + ": not valid YAML" + YamlProblem.where(parser));
    } finally {
      close(parser);
    }
    return docs;
  }

  /**
   * The text of a file that must be UTF-8, as the API server requires; any other encoding is named
   * with its place.
   */
  static String utf8(String source, byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    // One pass: on a bad byte the decoder stops with the input positioned on it.
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      decoder.flush(out);
      return out.flip().toString();
    }
    int bad = in.position();
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < bad; i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    throw new ManifestFileException(
        source
            + ":"
            + line
            + ":"
            + (bad - lineStart + 1)
            + ": is not UTF-8 text (byte 0x"
            + String.format("%02X", bytes[bad] & 0xff)
            + "); save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
  }

  private static void close(JsonParser parser) {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException ignored) {
        // nothing was written; a failure to release the reader changes nothing for the caller
      }
    }
  }

  /** A file that cannot be read or parsed at all. */
  public static class ManifestFileException extends RuntimeException {
    public ManifestFileException(String message) {
      super(Printable.text(message));
    }
  }

  /**
   * Jackson's parse failures said in a manifest author's words: the place, the field, what to write
   * instead.
   */
  static final class YamlProblem {
    private static final int MAX_PATH_SEGMENTS = 8;

    private YamlProblem() {}

    static String describe(String source, JsonProcessingException e, JsonParser parser) {
      String original =
          e.getOriginalMessage() == null
              ? ""
              : e.getOriginalMessage().lines().findFirst().orElse("");
      var loc =
          e.getLocation() != null
              ? e.getLocation()
              : parser == null ? null : parser.currentLocation();
      String at =
          source
              + (loc == null || loc.getLineNr() < 1
                  ? ""
                  : ":" + loc.getLineNr() + ":" + loc.getColumnNr());
      String field = parser == null ? "" : path(parser);
      String subject = field.isEmpty() ? "" : " " + field + ":";
      if (e instanceof StreamConstraintsException) {
        return at
            + ":"
            + subject
            + " nested too deeply (over 1000 levels); a postgresql manifest needs fewer than 20";
      }
      if (original.startsWith("Duplicate field")) {
        return at
            + ":"
            + subject
            + " is given twice in the same mapping; keep one (kubectl refuses duplicate keys)";
      }
      if (original.startsWith("Malformed numeric value")) {
        String value = original.replaceFirst("^Malformed numeric value '(.*)'.*$", "$1");
        return at
            + ":"
            + subject
            + " "
            + value
            + " is not a number Cornac can read; write a plain number, or quote it"
            + " if text is meant";
      }
      return at
          + ": not valid YAML"
          + (subject.isEmpty() ? "" : " at" + subject.substring(0, subject.length() - 1))
          + ": "
          + original;
    }

    static String where(JsonParser parser) {
      if (parser == null) {
        return "";
      }
      var loc = parser.currentLocation();
      String field = path(parser);
      return (loc.getLineNr() < 1
              ? ""
              : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
          + (field.isEmpty() ? "" : " (" + field + ")");
    }

    /**
     * {@code spec.users.zalando[0]}: the field the parser was in, shortened when the nesting is
     * deep.
     */
    static String path(JsonParser parser) {
      List<String> segments = new ArrayList<>();
      for (var ctx = parser.getParsingContext();
          ctx != null && !ctx.inRoot();
          ctx = ctx.getParent()) {
        if (ctx.inArray()) {
          segments.add(0, "[" + Math.max(ctx.getCurrentIndex(), 0) + "]");
        } else if (ctx.getCurrentName() != null) {
          segments.add(0, "." + ctx.getCurrentName());
        }
      }
      boolean cut = segments.size() > MAX_PATH_SEGMENTS;
      String joined =
          String.join("", cut ? segments.subList(0, MAX_PATH_SEGMENTS) : segments)
              + (cut ? "..." : "");
      return joined.startsWith(".") ? joined.substring(1) : joined;
    }
  }
}
