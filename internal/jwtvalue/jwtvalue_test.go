package jwtvalue

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func TestNumericDate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"0", time.Unix(0, 0), true},
		{"1700000000", time.Unix(1700000000, 0), true},
		{"1700000000.25", time.Unix(1700000000, 250_000_000), true},
		{"253402300799", time.Unix(MaxUnix, 0), true},
		{"253402300800", time.Time{}, false},
		{"-1", time.Time{}, false},
		{"-0.5", time.Time{}, false},
		{"1e400", time.Time{}, false},
		{"NaN", time.Time{}, false},
	} {
		got, ok := NumericDate(json.Number(tt.in))
		if ok != tt.ok || (ok && !got.Equal(tt.want)) {
			t.Errorf("NumericDate(%s) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestStringList(t *testing.T) {
	if got, ok := StringList([]any{"admin", "readers"}); !ok || !slices.Equal(got, []string{"admin", "readers"}) {
		t.Errorf("got %q, %v", got, ok)
	}
	if got, ok := StringList([]any{}); !ok || len(got) != 0 {
		t.Errorf("empty: %q, %v", got, ok)
	}
	for _, bad := range []any{"admin", []any{"admin", 1}, nil, map[string]any{}} {
		if _, ok := StringList(bad); ok {
			t.Errorf("StringList(%#v) accepted", bad)
		}
	}
}
