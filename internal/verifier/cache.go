package verifier

import (
	"container/list"
	"sync"
	"time"
)

// cacheKey is the SHA-256 of the whole token plus the use it was verified for, so a hit
// means these exact bytes already passed every check for that use.
type cacheKey struct {
	sum [32]byte
	use TokenUse
}

type cacheEntry struct {
	key    cacheKey
	claims *Claims
	kid    string // the signing key: the entry goes when the key leaves the JWKS
}

// cache is a bounded LRU of verified tokens, so a client reusing its token does not pay for
// an RSA verification on every request. Entries die at the token's exp, or when their signing
// key leaves the JWKS (keepOnly).
type cache struct {
	mu    sync.Mutex
	limit int
	items map[cacheKey]*list.Element
	lru   list.List // front: most recently used
	// kids are the JWKS's kids at the last keepOnly (nil before): a verification that raced
	// with a refresh is not cached for a key that has just left.
	kids map[string]bool
}

func newCache(limit int) *cache {
	return &cache{limit: limit, items: make(map[cacheKey]*list.Element, limit)}
}

// get reports whether key is cached; the claims are nil if the token has expired since.
func (c *cache) get(key cacheKey, now time.Time) (*Claims, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	entry := e.Value.(*cacheEntry)
	if !now.Before(entry.claims.ExpiresAt) {
		c.lru.Remove(e)
		delete(c.items, key)
		return nil, true
	}
	c.lru.MoveToFront(e)
	return entry.claims, true
}

func (c *cache) put(key cacheKey, claims *Claims, kid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.kids != nil && !c.kids[kid] {
		return
	}
	if e, ok := c.items[key]; ok {
		entry := e.Value.(*cacheEntry)
		entry.claims, entry.kid = claims, kid
		c.lru.MoveToFront(e)
		return
	}
	if c.lru.Len() >= c.limit {
		oldest := c.lru.Back()
		c.lru.Remove(oldest)
		delete(c.items, oldest.Value.(*cacheEntry).key)
	}
	c.items[key] = c.lru.PushFront(&cacheEntry{key: key, claims: claims, kid: kid})
}

// keepOnly drops the entries of every signing key not in kids: the JWKS no longer has it, so
// its tokens must stop being accepted now, as new ones are.
func (c *cache) keepOnly(kids map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.kids = kids
	for e := c.lru.Front(); e != nil; {
		next := e.Next()
		if entry := e.Value.(*cacheEntry); !kids[entry.kid] {
			c.lru.Remove(e)
			delete(c.items, entry.key)
		}
		e = next
	}
}

func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
