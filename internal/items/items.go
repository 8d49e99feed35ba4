// Package items is the one definition of the items table: its key schema, which the API stack
// synthesizes, the proxy handler reads and writes, and `authctl setup-local` creates on the
// local DynamoDB (dynalite); the two kinds of record a caller's partition holds; and the
// time-ordered item ids that make "newest first" a descending query. It imports neither the
// CDK nor the AWS SDK, so that the stacks, the Lambda and the tools can all import it.
package items

import (
	"crypto/rand"
	"encoding/binary"
	"strings"
	"sync"
	"time"
)

// The key schema. Every record lives in its owner's partition, so a query of one partition
// (the caller's, taken from the token, never from the request) cannot return anyone else's.
const (
	// PartitionKey holds the sub of the caller who owns the record.
	PartitionKey = "owner"
	// SortKey orders a partition: ItemPrefix + the item's id for items, IdempotencyPrefix +
	// a hash of the key for the records of POST /items' Idempotency-Key.
	SortKey = "sk"
	// KeyType is the DynamoDB scalar type of both keys: S, a string.
	KeyType = "S"
	// TimeToLive is the table's time-to-live attribute: a Number of seconds since the epoch,
	// set on idempotency records only, after which DynamoDB deletes them (within days; readers
	// treat an expired record as gone).
	TimeToLive = "expires_at"
)

// Sort key prefixes: the two kinds of record in a partition.
const (
	ItemPrefix        = "item#"
	IdempotencyPrefix = "idem#"
)

// ItemKey is the sort key of the item with the given id.
func ItemKey(id string) string { return ItemPrefix + id }

// IDLength is the length of an item id.
const IDLength = 26

// crockford is the alphabet of ids: Crockford's base32 (no I, L, O, U), whose order is the
// byte order, so ids sort as their bytes do.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// IDs makes item ids laid out as ULIDs: 48 bits of Unix milliseconds, then 80 random bits,
// written in 26 characters of Crockford's base32. Ids made later sort after those made
// earlier, across Lambda instances to the precision of their clocks; within one IDs, an id
// made in the same millisecond as the previous one (or with a clock that went back) takes the
// previous one's time and random part plus one, so that one source's ids always increase. The
// zero value is ready to use, and safe for concurrent use.
type IDs struct {
	mu   sync.Mutex
	last [16]byte
}

// New returns a new id for an item created at now.
func (g *IDs) New(now time.Time) string {
	var id [16]byte
	ms := uint64(max(now.UnixMilli(), 0)) & (1<<48 - 1)
	id[0], id[1] = byte(ms>>40), byte(ms>>32)
	binary.BigEndian.PutUint32(id[2:6], uint32(ms))
	rand.Read(id[6:]) // never fails (crypto/rand)

	g.mu.Lock()
	defer g.mu.Unlock()
	if string(id[:]) <= string(g.last[:]) {
		id = g.last
		for i := len(id) - 1; i >= 0; i-- { // plus one, carrying
			id[i]++
			if id[i] != 0 {
				break
			}
		}
	}
	g.last = id
	return FormatID(id)
}

// FormatID writes 16 bytes as an id.
func FormatID(b [16]byte) string {
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	var out [IDLength]byte
	// 128 bits in 26 groups of 5: the first group holds the top 3 bits.
	for i := IDLength - 1; i >= 0; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out[:])
}

// ParseID reads an id as FormatID writes it: 26 characters of upper-case Crockford base32,
// the first at most 7 (128 bits). Anything else is not an id.
func ParseID(s string) ([16]byte, bool) {
	var b [16]byte
	if len(s) != IDLength || s[0] > '7' {
		return b, false
	}
	var hi, lo uint64
	for i := range IDLength {
		v := strings.IndexByte(crockford, s[i])
		if v < 0 {
			return b, false
		}
		hi = hi<<5 | lo>>59
		lo = lo<<5 | uint64(v)
	}
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	return b, true
}
