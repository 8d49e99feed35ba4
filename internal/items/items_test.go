package items_test

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/items"
)

var now = time.Date(2026, 12, 6, 9, 30, 0, 0, time.UTC)

func TestIDsSortByTime(t *testing.T) {
	var g items.IDs
	var ids []string
	for i := range 50 {
		ids = append(ids, g.New(now.Add(time.Duration(i)*time.Millisecond)))
	}
	if !slices.IsSorted(ids) {
		t.Errorf("ids made later do not sort later: %q", ids)
	}
	// Another source (another Lambda instance) a millisecond later still sorts after.
	var other items.IDs
	if later := other.New(now.Add(50 * time.Millisecond)); later <= ids[len(ids)-1] {
		t.Errorf("%s from another source a millisecond later sorts before %s", later, ids[len(ids)-1])
	}
}

// TestIDsIncreaseWithinAMillisecond: a fixed clock (or one that went back) still gives
// increasing, distinct ids.
func TestIDsIncreaseWithinAMillisecond(t *testing.T) {
	var g items.IDs
	prev := g.New(now)
	for i := range 1000 {
		at := now
		if i%2 == 1 {
			at = now.Add(-time.Hour) // the clock went back
		}
		id := g.New(at)
		if id <= prev {
			t.Fatalf("id %d: %s after %s", i, id, prev)
		}
		prev = id
	}
	if !strings.HasPrefix(prev, g.New(now)[:10]) {
		t.Errorf("the time part moved: %s", prev)
	}
}

func TestIDsConcurrent(t *testing.T) {
	var g items.IDs
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				id := g.New(now)
				mu.Lock()
				if seen[id] {
					t.Errorf("id %s made twice", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

func TestFormatAndParseID(t *testing.T) {
	var g items.IDs
	for range 100 {
		id := g.New(now)
		b, ok := items.ParseID(id)
		if !ok || items.FormatID(b) != id || len(id) != items.IDLength {
			t.Fatalf("ParseID(%q) = %x, %v; FormatID gives %q", id, b, ok, items.FormatID(b))
		}
	}
	var max [16]byte
	for i := range max {
		max[i] = 0xff
	}
	for _, b := range [][16]byte{{}, max, {0x01, 0x9a, 0xf0}} {
		s := items.FormatID(b)
		if got, ok := items.ParseID(s); !ok || got != b {
			t.Errorf("round trip of %x: %q -> %x, %v", b, s, got, ok)
		}
	}
	if got := items.FormatID(max); got != "7ZZZZZZZZZZZZZZZZZZZZZZZZZ" {
		t.Errorf("FormatID(all ones) = %s", got)
	}
	// The time comes first: 2026-12-06T09:30:00Z is 1796549400000 ms, 0x01a24ab055c0.
	if id := (&items.IDs{}).New(now); !strings.HasPrefix(id, items.FormatID([16]byte{0x01, 0xa2, 0x4a, 0xb0, 0x55, 0xc0})[:9]) {
		t.Errorf("id %s does not start with the time's digits", id)
	}
	for _, bad := range []string{
		"", "0", strings.Repeat("0", 25), strings.Repeat("0", 27),
		"8ZZZZZZZZZZZZZZZZZZZZZZZZZ",                               // more than 128 bits
		"01JEXAMPLE0000000000000000", "01jexample0000000000000000", // I, L, lower case
		"01HZZZZZZZZZZZZZZZZZZZZZZU", "01HZZZZZZZZZZZZZZZZZZZZZZ#", "01HZZZZZZZZZZZZZZZZZZZZZZO",
	} {
		if _, ok := items.ParseID(bad); ok {
			t.Errorf("ParseID(%q) accepted it", bad)
		}
	}
}

func TestItemKey(t *testing.T) {
	if got := items.ItemKey("01ABC"); got != "item#01ABC" || !strings.HasPrefix(got, items.ItemPrefix) {
		t.Errorf("ItemKey = %q", got)
	}
	// The two kinds of record never share a sort key.
	if strings.HasPrefix(items.ItemPrefix, items.IdempotencyPrefix) || strings.HasPrefix(items.IdempotencyPrefix, items.ItemPrefix) {
		t.Error("one prefix starts the other")
	}
}

// The API description's id pattern (internal/api) takes exactly the ids ParseID takes.
func TestIDPatternOfTheAPI(t *testing.T) {
	pattern := regexp.MustCompile(api.ItemIDPattern)
	var ids items.IDs
	for _, id := range []string{ids.New(now), ids.New(time.Time{}), "7ZZZZZZZZZZZZZZZZZZZZZZZZZ", "8ZZZZZZZZZZZZZZZZZZZZZZZZZ",
		"01KBQ4Z7R2M8V5X9C3N6P1T0WI", "01KBQ4Z7R2M8V5X9C3N6P1T0WU", "01kbq4z7r2m8v5x9c3n6p1t0wa", "01KBQ4Z7R2M8V5X9C3N6P1T0W", "01KBQ4Z7R2M8V5X9C3N6P1T0WAA"} {
		if _, ok := items.ParseID(id); ok != pattern.MatchString(id) {
			t.Errorf("id %q: ParseID takes it %v, api.ItemIDPattern %v", id, ok, !ok)
		}
	}
}
