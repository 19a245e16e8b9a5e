package dev.cornac.api.quantity;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;

/**
 * Kubernetes quantities compared by amount ({@code 1Gi} equals {@code 1024Mi}), never as strings.
 */
public final class Quantities {
  private Quantities() {}

  public static BigDecimal amount(String quantity) {
    return Quantity.getAmountInBytes(new Quantity(quantity));
  }

  public static int compare(String a, String b) {
    return amount(a).compareTo(amount(b));
  }

  public static boolean isValid(String quantity) {
    try {
      amount(quantity);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Upstream treats "", "0" and "null" as "not set" for resource values (upstream:
   * pkg/cluster/k8sres.go, fillResourceList).
   */
  public static boolean isUnset(String value) {
    return value == null || value.isEmpty() || value.equals("0") || value.equals("null");
  }
}
