package io.jquant.annotations.rules;

import static io.jquant.annotations.rules.Decl.assertOnly;
import static io.jquant.annotations.rules.Decl.range;
import static io.jquant.annotations.rules.Decl.rules;
import static io.jquant.annotations.rules.Decl.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayerRangesTest {
  private static final int PART = 3;

  private static LayerRanges.Result read(int numLayers, String... entries) {
    return LayerRanges.read(PART, List.of(entries), numLayers);
  }

  private static Place entry(int index) {
    return new Place(PART, Attribute.LAYERS, index);
  }

  // ---- well-formed ----

  @Test
  void indicesAndRanges() {
    LayerRanges.Result r = read(16, "0-3", "5", "7-7", "15");
    assertEquals(List.of(), r.violations());
    assertEquals(set(0, 1, 2, 3, 5, 7, 15), r.layers());
    assertEquals(List.of(set(0, 1, 2, 3), set(5), set(7), set(15)), r.perEntry());
  }

  @Test
  void wholeModelAsOneRange() {
    LayerRanges.Result r = read(16, "0-15");
    assertEquals(List.of(), r.violations());
    assertEquals(range(0, 16), r.layers());
  }

  @Test
  void entriesInAnyOrder() {
    LayerRanges.Result r = read(16, "10-12", "0", "4-5");
    assertEquals(List.of(), r.violations());
    assertEquals(set(0, 4, 5, 10, 11, 12), r.layers());
    assertEquals(List.of(set(10, 11, 12), set(0), set(4, 5)), r.perEntry());
  }

  @Test
  void adjacentRangesDoNotOverlap() {
    LayerRanges.Result r = read(16, "0-7", "8-15");
    assertEquals(List.of(), r.violations());
    assertEquals(range(0, 16), r.layers());
  }

  @Test
  void noEntriesReadAsNoLayers() {
    LayerRanges.Result r = read(16);
    assertEquals(List.of(), r.violations());
    assertEquals(Set.of(), r.layers());
    assertEquals(List.of(), r.perEntry());
  }

  @Test
  void leadingZerosAreTheSameNumber() {
    LayerRanges.Result r = read(16, "007", "08-010");
    assertEquals(List.of(), r.violations());
    assertEquals(set(7, 8, 9, 10), r.layers());
    assertEquals(List.of(set(7), set(8, 9, 10)), r.perEntry());
  }

  @Test
  void lastLayerIsInRange() {
    assertEquals(List.of(), read(16, "15").violations());
    assertEquals(List.of(), read(1, "0").violations());
    assertEquals(List.of(), read(1, "0-0").violations());
  }

  // ---- syntax ----

  @ParameterizedTest
  @ValueSource(
      strings = { "a", "", " ", " 3", "3 ", "0 - 3", "0- 3", "1-", "-", "--", "1-2-3", "1.5", "0x1", "+1",
          "1,2", "0..3", "\u0663", "3\u20135", "seven", "{0-3}" })
  void notAnIndexOrRange(String text) {
    LayerRanges.Result r = read(16, "0", text);
    assertOnly(r.violations(), RuleId.LAYERS_SYNTAX, List.of(entry(1)),
        "layer entry \"" + text + "\" is neither an index like \"7\" nor an inclusive range like \"0-15\".");
    assertEquals(List.of(set(0), Set.of()), r.perEntry());
    assertEquals(set(0), r.layers());
  }

  // ---- negative ----

  @ParameterizedTest
  @ValueSource(strings = { "-1", "-15", "-1-3", "3--1", "-3--1", "-007" })
  void negative(String text) {
    LayerRanges.Result r = read(16, text);
    assertOnly(r.violations(), RuleId.LAYERS_NEGATIVE, List.of(entry(0)),
        "layer entry \"" + text + "\" is negative; layers are numbered from 0.");
    assertEquals(List.of(Set.of()), r.perEntry());
    assertEquals(Set.of(), r.layers());
  }

  // ---- reversed ----

  @Test
  void reversedRange() {
    assertOnly(read(16, "3-1").violations(), RuleId.LAYERS_REVERSED, List.of(entry(0)),
        "layer range \"3-1\" runs backwards; write \"1-3\".");
  }

  @Test
  void reversedRangeSuggestionDropsLeadingZeros() {
    assertOnly(read(16, "03-001").violations(), RuleId.LAYERS_REVERSED, List.of(entry(0)),
        "layer range \"03-001\" runs backwards; write \"1-3\".");
  }

  @Test
  void reversedBeforeOutOfRange() {
    // "20-3" is backwards and too high; it runs backwards first of all.
    assertOnly(read(16, "20-3").violations(), RuleId.LAYERS_REVERSED, entry(0));
  }

  @Test
  void reversedHugeRangeQuotesItsNumbers() {
    assertOnly(read(16, "99999999999999999999-0").violations(), RuleId.LAYERS_REVERSED, List.of(entry(0)),
        "layer range \"99999999999999999999-0\" runs backwards; write \"0-99999999999999999999\".");
  }

  // ---- out of range ----

  @Test
  void outOfRange() {
    LayerRanges.Result r = read(16, "16");
    assertOnly(r.violations(), RuleId.LAYERS_OUT_OF_RANGE, List.of(entry(0)),
        "layer entry \"16\" reaches layer 16, but the model has 16 layers (0-15).");
    assertEquals(Set.of(), r.layers());
  }

  @Test
  void rangeReachingPastTheEndContributesNothing() {
    LayerRanges.Result r = read(16, "10-20", "3");
    assertOnly(r.violations(), RuleId.LAYERS_OUT_OF_RANGE, List.of(entry(0)),
        "layer entry \"10-20\" reaches layer 20, but the model has 16 layers (0-15).");
    assertEquals(List.of(Set.of(), set(3)), r.perEntry());
    assertEquals(set(3), r.layers());
  }

  @Test
  void outOfRangeOfAOneLayerModel() {
    assertOnly(read(1, "1").violations(), RuleId.LAYERS_OUT_OF_RANGE, List.of(entry(0)),
        "layer entry \"1\" reaches layer 1, but the model has 1 layer (0).");
  }

  @Test
  void outOfRangeQuotesTheEntryAsWrittenAndTheLayerAsANumber() {
    assertOnly(read(5, "007").violations(), RuleId.LAYERS_OUT_OF_RANGE, List.of(entry(0)),
        "layer entry \"007\" reaches layer 7, but the model has 5 layers (0-4).");
  }

  @ParameterizedTest
  @ValueSource(
      strings = { "2147483647", "2147483648", "9999999999", "99999999999", "99999999999999999999999999" })
  void hugeIndexIsOutOfRangeAndQuotedExactly(String huge) {
    assertOnly(read(16, huge).violations(), RuleId.LAYERS_OUT_OF_RANGE, List.of(entry(0)),
        "layer entry \"" + huge + "\" reaches layer " + huge + ", but the model has 16 layers (0-15).");
  }

  @Test
  void hugeRangeIsOutOfRangeAndQuotedExactly() {
    assertOnly(read(16, "0-4294967296").violations(), RuleId.LAYERS_OUT_OF_RANGE, List.of(entry(0)),
        "layer entry \"0-4294967296\" reaches layer 4294967296, but the model has 16 layers (0-15).");
  }

  @Test
  void withoutAUsableLayerCountEntriesAreBoundedByJquantsLimit() {
    for (int broken : new int[] { 0, -5, Integer.MIN_VALUE }) {
      LayerRanges.Result ok = read(broken, "0-15", String.valueOf(LayerRanges.MAX_LAYERS - 1));
      assertEquals(List.of(), ok.violations());
      assertEquals(17, ok.layers().size());
      assertOnly(read(broken, String.valueOf(LayerRanges.MAX_LAYERS)).violations(),
          RuleId.LAYERS_OUT_OF_RANGE,
          List.of(entry(0)),
          "layer entry \"4096\" reaches layer 4096, but jquant supports at most 4096 layers.");
    }
  }

  @Test
  void anAbsurdLayerCountDoesNotLetARangeAllocateGigabytes() {
    LayerRanges.Result[] result = new LayerRanges.Result[1];
    Allocations.assertSmall(() -> result[0] = read(Integer.MAX_VALUE, "0-2000000000", "3"),
        "reading 0-2000000000");
    LayerRanges.Result r = result[0];
    assertOnly(r.violations(), RuleId.LAYERS_OUT_OF_RANGE, List.of(entry(0)),
        "layer entry \"0-2000000000\" reaches layer 2000000000, but jquant supports at most 4096 layers.");
    assertEquals(set(3), r.layers());
  }

  @Test
  void layerCountAtJquantsLimitIsTheModelsOwn() {
    assertOnly(read(LayerRanges.MAX_LAYERS, "4096").violations(), RuleId.LAYERS_OUT_OF_RANGE,
        List.of(entry(0)),
        "layer entry \"4096\" reaches layer 4096, but the model has 4096 layers (0-4095).");
  }

  // ---- overlap ----

  @Test
  void overlappingRanges() {
    LayerRanges.Result r = read(16, "0-5", "3-8");
    assertOnly(r.violations(), RuleId.LAYERS_OVERLAP, List.of(entry(1)),
        "layer entry \"3-8\" overlaps entry \"0-5\"; list each layer once.");
    // The overlapping entry contributes nothing, not even its layers 6-8.
    assertEquals(List.of(range(0, 6), Set.of()), r.perEntry());
    assertEquals(range(0, 6), r.layers());
  }

  @Test
  void repeatedEntry() {
    LayerRanges.Result r = read(16, "4", "4");
    assertOnly(r.violations(), RuleId.LAYERS_OVERLAP, List.of(entry(1)),
        "layer entry \"4\" repeats entry \"4\"; list each layer once.");
    assertEquals(List.of(set(4), Set.of()), r.perEntry());
  }

  @Test
  void repeatedRange() {
    assertOnly(read(16, "0-3", "0-3").violations(), RuleId.LAYERS_OVERLAP, List.of(entry(1)),
        "layer entry \"0-3\" repeats entry \"0-3\"; list each layer once.");
  }

  @Test
  void indexInsideAnEarlierRange() {
    assertOnly(read(16, "0-3", "10", "2").violations(), RuleId.LAYERS_OVERLAP, List.of(entry(2)),
        "layer entry \"2\" overlaps entry \"0-3\"; list each layer once.");
  }

  @Test
  void rangeAroundAnEarlierIndex() {
    assertOnly(read(16, "5", "0-9").violations(), RuleId.LAYERS_OVERLAP, List.of(entry(1)),
        "layer entry \"0-9\" overlaps entry \"5\"; list each layer once.");
  }

  @Test
  void overlapNamesTheEntryThatOwnsTheFirstSharedLayer() {
    // "2-5" shares 2-3 with "0-3" and 4-5 with "4-7"; the first shared layer, 2, is "0-3"'s.
    assertOnly(read(16, "0-3", "4-7", "2-5").violations(), RuleId.LAYERS_OVERLAP, List.of(entry(2)),
        "layer entry \"2-5\" overlaps entry \"0-3\"; list each layer once.");
  }

  @Test
  void everyRepetitionIsReported() {
    LayerRanges.Result r = read(16, "1", "1", "1");
    assertEquals(List.of(RuleId.LAYERS_OVERLAP, RuleId.LAYERS_OVERLAP), rules(r.violations()));
    assertEquals(List.of(entry(1)), r.violations().get(0).places());
    assertEquals(List.of(entry(2)), r.violations().get(1).places());
    assertEquals("layer entry \"1\" repeats entry \"1\"; list each layer once.",
        r.violations().get(1).message());
  }

  @Test
  void brokenEntriesDoNotClaimLayersForOverlap() {
    // Neither the out-of-range "3-20" nor the reversed "5-3" keeps "3" from being read.
    LayerRanges.Result r = read(16, "3-20", "5-3", "3");
    assertEquals(List.of(RuleId.LAYERS_OUT_OF_RANGE, RuleId.LAYERS_REVERSED), rules(r.violations()));
    assertEquals(set(3), r.layers());
  }

  // ---- many at once ----

  @Test
  void eachEntryIsJudgedOnItsOwnAndReportedInOrder() {
    LayerRanges.Result r = read(16, "0-3", "x", "3-1", "20", "2", "5", "-4");
    assertEquals(List.of(RuleId.LAYERS_SYNTAX, RuleId.LAYERS_REVERSED, RuleId.LAYERS_OUT_OF_RANGE,
        RuleId.LAYERS_OVERLAP, RuleId.LAYERS_NEGATIVE), rules(r.violations()));
    assertEquals(List.of(entry(1), entry(2), entry(3), entry(4), entry(6)), Decl.places(r.violations()));
    assertEquals(List.of(set(0, 1, 2, 3), Set.of(), Set.of(), Set.of(), Set.of(), set(5), Set.of()),
        r.perEntry());
    assertEquals(set(0, 1, 2, 3, 5), r.layers());
    for (Violation v : r.violations()) {
      assertEquals(1, v.places().size(), v::toString);
    }
  }

  @Test
  void perEntryHasOneSetPerEntryAndTheirUnionIsTheLayers() {
    LayerRanges.Result r = read(32, "0-3", "8-9", "x", "31", "9");
    assertEquals(5, r.perEntry().size());
    Set<Integer> union = new HashSet<>();
    r.perEntry().forEach(union::addAll);
    assertEquals(r.layers(), union);
    int total = r.perEntry().stream().mapToInt(Set::size).sum();
    assertEquals(r.layers().size(), total, "the entries' contributions are disjoint");
  }

  @Test
  void partIndexIsCarriedIntoEveryPlace() {
    for (int part : new int[] { 0, 7, Place.MODEL }) {
      Violation v = LayerRanges.read(part, List.of("x"), 16).violations().get(0);
      assertEquals(new Place(part, Attribute.LAYERS, 0), v.place());
    }
  }

  // ---- describe ----

  @Test
  void describe() {
    assertEquals("", LayerRanges.describe(Set.of()));
    assertEquals("5", LayerRanges.describe(set(5)));
    assertEquals("0-2, 5", LayerRanges.describe(set(0, 1, 2, 5)));
    assertEquals("0, 2, 4", LayerRanges.describe(set(0, 2, 4)));
    assertEquals("0-15", LayerRanges.describe(range(0, 16)));
    assertEquals("1-2, 4-5, 7", LayerRanges.describe(set(1, 2, 4, 5, 7)));
    assertEquals("0-1, 65535", LayerRanges.describe(set(0, 1, 65535)));
  }

  @Test
  void describeSortsItsInput() {
    assertEquals("1-3, 9", LayerRanges.describe(new HashSet<>(List.of(9, 3, 1, 2))));
  }

  @Test
  void describeRoundTripsThroughRead() {
    Set<Integer> layers = set(0, 1, 2, 5, 7, 8, 15);
    String text = LayerRanges.describe(layers);
    LayerRanges.Result r = LayerRanges.read(0, List.of(text.split(", ")), 16);
    assertEquals(List.of(), r.violations());
    assertEquals(layers, r.layers());
  }

  @Test
  void maxLayersIsAPowerOfTwo() {
    assertTrue(Integer.bitCount(LayerRanges.MAX_LAYERS) == 1);
    assertEquals(4096, LayerRanges.MAX_LAYERS);
  }

  @Test
  void ofReadsWhatDescribeWrites() {
    assertEquals(set(0, 1, 2, 5, 7, 8), LayerRanges.of(LayerRanges.describe(set(0, 1, 2, 5, 7, 8))));
    assertEquals("0-2, 5, 7-8", LayerRanges.describe(LayerRanges.of("0-2, 5, 7-8")));
    assertEquals(Set.of(), LayerRanges.of(""));
  }

  @Test
  void ofNamesEveryBrokenEntry() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> LayerRanges.of("0-2, x, 1"));
    assertEquals(
        "layer set \"0-2, x, 1\": layer entry \"x\" is neither an index like \"7\" nor an inclusive range "
            + "like \"0-15\". layer entry \"1\" overlaps entry \"0-2\"; list each layer once.",
        e.getMessage());
  }
}
