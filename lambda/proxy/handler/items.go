package handler

import (
	"crypto/rand"
	"sync"
	"time"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
)

// Caps keep one instance's memory bounded whatever callers send.
const (
	maxItemsPerOwner = 100
	maxItemsTotal    = 10_000
)

// itemStore is a stand-in for a database. It lives in one Lambda execution environment (one
// instance): concurrent instances each have their own, and an instance's items vanish when Lambda
// recycles it. The mutex matters for the local server, which calls Handle from many goroutines.
type itemStore struct {
	mu      sync.Mutex
	byOwner map[string][]api.Item
	total   int
}

func newItemStore() *itemStore {
	return &itemStore{byOwner: map[string][]api.Item{}}
}

// add stores a new item; false means a cap is reached.
func (s *itemStore) add(owner, name string, now time.Time) (api.Item, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.total >= maxItemsTotal || len(s.byOwner[owner]) >= maxItemsPerOwner {
		return api.Item{}, false
	}
	// Random ids: a counter would repeat across instances.
	it := api.Item{ID: rand.Text(), Name: name, Owner: owner, CreatedAt: now.UTC().Truncate(time.Second)}
	s.byOwner[owner] = append(s.byOwner[owner], it)
	s.total++
	return it, true
}

// list returns a copy of owner's items, oldest first, never nil.
func (s *itemStore) list(owner string) []api.Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]api.Item{}, s.byOwner[owner]...)
}

func (s *itemStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}
