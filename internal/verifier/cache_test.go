package verifier

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCacheHitStillEnforcesExpiry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tok := f.id("exp", f.now.Unix()+60)
	if _, err := f.v.Verify(ctx, tok, TokenUseID); err != nil {
		t.Fatal(err)
	}
	// The cache is keyed by use too: an ID token never answers for an access token.
	if _, err := f.v.Verify(ctx, tok, TokenUseAccess); !errors.Is(err, ErrTokenUse) {
		t.Fatalf("ID token as access: %v", err)
	}
	if n := f.v.cache.len(); n != 1 {
		t.Fatalf("cache holds %d entries, want 1", n)
	}

	// A hit returns the cached claims as long as the token lives, and not a nanosecond longer.
	f.now = f.now.Add(time.Minute - time.Nanosecond)
	if _, err := f.v.Verify(ctx, tok, TokenUseID); err != nil {
		t.Fatalf("cache hit before exp: %v", err)
	}
	f.now = f.now.Add(time.Nanosecond) // now == exp
	if _, err := f.v.Verify(ctx, tok, TokenUseID); !errors.Is(err, ErrExpired) {
		t.Fatalf("cache hit at exp: %v, want ErrExpired", err)
	}
	if n := f.v.cache.len(); n != 0 {
		t.Errorf("expired entry kept: %d entries", n)
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := newCache(2)
	exp := testNow.Add(time.Hour)
	k := func(b byte) cacheKey { return cacheKey{sum: [32]byte{b}, use: TokenUseID} }
	c.put(k(1), &Claims{Subject: "1", ExpiresAt: exp}, "kid")
	c.put(k(2), &Claims{Subject: "2", ExpiresAt: exp}, "kid")
	if _, ok := c.get(k(1), testNow); !ok { // 1 is now the most recently used
		t.Fatal("1 missing")
	}
	c.put(k(3), &Claims{Subject: "3", ExpiresAt: exp}, "kid")
	if _, ok := c.get(k(2), testNow); ok {
		t.Error("2 should have been evicted")
	}
	for _, b := range []byte{1, 3} {
		if got, ok := c.get(k(b), testNow); !ok || got.Subject != string('0'+b) {
			t.Errorf("entry %d: %v %v", b, got, ok)
		}
	}
	if c.len() != 2 {
		t.Errorf("len %d, want 2", c.len())
	}
	if got, ok := c.get(k(3), exp); !ok || got != nil {
		t.Errorf("at exp: %v %v, want expired", got, ok)
	}
	if _, ok := c.get(cacheKey{sum: [32]byte{1}, use: TokenUseAccess}, testNow); ok {
		t.Error("hit for another use")
	}
}

// TestCacheSizeCap: a cache holds its limit of entries; one more evicts the least recently used.
func TestCacheSizeCap(t *testing.T) {
	exp := testNow.Add(time.Hour)
	k := func(i int) cacheKey { return cacheKey{sum: [32]byte{byte(i), byte(i >> 8)}, use: TokenUseID} }
	for _, limit := range []int{1, 2, DefaultCacheSize} {
		c := newCache(limit)
		for i := range limit {
			c.put(k(i), &Claims{ExpiresAt: exp}, "kid")
		}
		for i := range limit { // in order: 0 is now the least recently used
			if _, ok := c.get(k(i), testNow); !ok {
				t.Fatalf("limit %d: entry %d of %d evicted", limit, i, limit)
			}
		}
		c.put(k(limit), &Claims{ExpiresAt: exp}, "kid")
		if _, ok := c.get(k(0), testNow); ok {
			t.Errorf("limit %d: least recently used entry kept", limit)
		}
		for i := 1; i <= limit; i++ {
			if _, ok := c.get(k(i), testNow); !ok {
				t.Errorf("limit %d: entry %d evicted", limit, i)
			}
		}
		if c.len() != limit {
			t.Errorf("limit %d: %d entries", limit, c.len())
		}
	}
}

// TestCacheSizeConfig: CacheSize 0 means DefaultCacheSize entries, and a negative one no cache.
func TestCacheSizeConfig(t *testing.T) {
	for _, tc := range []struct{ size, limit int }{{0, DefaultCacheSize}, {1, 1}, {-1, 0}} {
		f := newFixture(t, func(c *Config) { c.CacheSize = tc.size })
		limit := 0
		if f.v.cache != nil {
			limit = f.v.cache.limit
		}
		if limit != tc.limit {
			t.Errorf("CacheSize %d: cache of %d entries, want %d", tc.size, limit, tc.limit)
		}
	}
}

func TestCacheDisabled(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.CacheSize = -1 })
	if f.v.cache != nil {
		t.Fatal("cache enabled")
	}
	for range 2 {
		if _, err := f.v.Verify(context.Background(), f.access(), TokenUseAccess); err != nil {
			t.Fatal(err)
		}
	}
}
