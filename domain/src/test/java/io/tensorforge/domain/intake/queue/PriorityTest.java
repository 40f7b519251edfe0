package io.tensorforge.domain.intake.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriorityTest {

  @Test
  void parsesWireNamesIgnoringCase() {
    assertEquals(Optional.of(Priority.CRITICAL), Priority.parse("critical"));
    assertEquals(Optional.of(Priority.STANDARD), Priority.parse("Standard"));
    assertEquals(Optional.of(Priority.SHEDDABLE), Priority.parse(" SHEDDABLE "));
    assertEquals(Optional.empty(), Priority.parse("urgent"));
    assertEquals(Optional.empty(), Priority.parse(""));
    assertEquals(Optional.empty(), Priority.parse(null));
  }

  @Test
  void wireNameRoundTrips() {
    for (Priority p : Priority.values()) {
      assertEquals(Optional.of(p), Priority.parse(p.wireName()));
    }
    assertEquals("critical", Priority.CRITICAL.wireName());
  }

  @Test
  void criticalIsHighest() {
    assertTrue(Priority.CRITICAL.above(Priority.STANDARD));
    assertTrue(Priority.CRITICAL.above(Priority.SHEDDABLE));
    assertTrue(Priority.STANDARD.above(Priority.SHEDDABLE));
    assertFalse(Priority.STANDARD.above(Priority.STANDARD));
    assertFalse(Priority.SHEDDABLE.above(Priority.CRITICAL));
  }
}
