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
}

// cache is a bounded LRU of verified tokens, so a client reusing its token does not pay for
// an RSA verification on every request. Entries die at the token's exp.
type cache struct {
	mu    sync.Mutex
	limit int
	items map[cacheKey]*list.Element
	lru   list.List // front: most recently used
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

func (c *cache) put(key cacheKey, claims *Claims) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		e.Value.(*cacheEntry).claims = claims
		c.lru.MoveToFront(e)
		return
	}
	if c.lru.Len() >= c.limit {
		oldest := c.lru.Back()
		c.lru.Remove(oldest)
		delete(c.items, oldest.Value.(*cacheEntry).key)
	}
	c.items[key] = c.lru.PushFront(&cacheEntry{key: key, claims: claims})
}

func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
