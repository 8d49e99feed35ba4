package handler

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-apigw/cognito-apigw/internal/api"
	"github.com/cognito-apigw/cognito-apigw/internal/items"
)

// DynamoDB is what the handler calls on the items table: the four operations its role may
// use (the API stack's policy allows exactly these). *dynamodb.Client has them; tests wrap one
// to make it fail.
type DynamoDB interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Attributes of the records besides the keys (internal/items has those).
const (
	attrID          = "id"
	attrName        = "name"
	attrCreatedAt   = "created_at"  // RFC 3339, seconds, UTC
	attrFingerprint = "fingerprint" // idempotency records: SHA-256 of what was asked for
	attrState       = "state"       // idempotency records: claimStarted or claimDone
	attrClaimedAt   = "claimed_at"  // idempotency records: Unix milliseconds
	stateStarted    = "started"     // the item may not be written yet
	stateDone       = "done"        // the item was written; the reply is the record's item
	attrTTL         = items.TimeToLive
)

// itemStore reads and writes one caller's records in the items table. Every call names the
// owner's partition: the owner comes from the caller's token, never from the request. A nil
// itemStore (no table) answers errNoTable.
type itemStore struct {
	db    DynamoDB
	table string
}

var (
	// errMalformed means a record lacks an attribute the handler writes: someone else wrote it.
	errMalformed = errors.New("malformed record in the items table")
	// errNoTable means the handler has no items table (cmd/local without a local DynamoDB).
	errNoTable = errors.New("no items table is configured")
)

func key(owner, sortKey string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		items.PartitionKey: &types.AttributeValueMemberS{Value: owner},
		items.SortKey:      &types.AttributeValueMemberS{Value: sortKey},
	}
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// isConditionFailed reports whether a write was refused by its condition.
func isConditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

func itemRecord(it api.Item) map[string]types.AttributeValue {
	rec := key(it.Owner, items.ItemKey(it.ID))
	rec[attrID] = str(it.ID)
	rec[attrName] = str(it.Name)
	rec[attrCreatedAt] = str(it.CreatedAt.UTC().Format(time.RFC3339))
	return rec
}

func readItem(rec map[string]types.AttributeValue) (api.Item, error) {
	owner, ok1 := stringAttr(rec, items.PartitionKey)
	id, ok2 := stringAttr(rec, attrID)
	name, ok3 := stringAttr(rec, attrName)
	created, ok4 := stringAttr(rec, attrCreatedAt)
	at, err := time.Parse(time.RFC3339, created)
	if !ok1 || !ok2 || !ok3 || !ok4 || err != nil {
		return api.Item{}, errMalformed
	}
	return api.Item{ID: id, Name: name, Owner: owner, CreatedAt: at.UTC()}, nil
}

func stringAttr(rec map[string]types.AttributeValue, name string) (string, bool) {
	v, ok := rec[name].(*types.AttributeValueMemberS)
	if !ok {
		return "", false
	}
	return v.Value, true
}

func numberAttr(rec map[string]types.AttributeValue, name string) (int64, bool) {
	v, ok := rec[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v.Value, 10, 64)
	return n, err == nil
}

// get reads one of owner's items; false when owner has no item with that id (whoever else may).
func (s *itemStore) get(ctx context.Context, owner, id string) (api.Item, bool, error) {
	if s == nil {
		return api.Item{}, false, errNoTable
	}
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            key(owner, items.ItemKey(id)),
		ConsistentRead: aws.Bool(true), // a caller reads what they have just written
	})
	if err != nil || out.Item == nil {
		return api.Item{}, false, err
	}
	it, err := readItem(out.Item)
	return it, err == nil, err
}

// put writes an item unless one with its key exists: an item is never overwritten, and one that
// exists was written before by the same claim, so that is no error.
func (s *itemStore) put(ctx context.Context, it api.Item) error {
	if s == nil {
		return errNoTable
	}
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                aws.String(s.table),
		Item:                     itemRecord(it),
		ConditionExpression:      aws.String("attribute_not_exists(#sk)"),
		ExpressionAttributeNames: map[string]string{"#sk": items.SortKey},
	})
	if isConditionFailed(err) {
		return nil
	}
	return err
}

// remove deletes one of owner's items; false when owner has no item with that id.
func (s *itemStore) remove(ctx context.Context, owner, id string) (bool, error) {
	if s == nil {
		return false, errNoTable
	}
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                aws.String(s.table),
		Key:                      key(owner, items.ItemKey(id)),
		ConditionExpression:      aws.String("attribute_exists(#sk)"),
		ExpressionAttributeNames: map[string]string{"#sk": items.SortKey},
	})
	if isConditionFailed(err) {
		return false, nil
	}
	return err == nil, err
}

// itemsQuery is a query of owner's items, newest first (ids are time-ordered).
func (s *itemStore) itemsQuery(owner string) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		TableName:                aws.String(s.table),
		KeyConditionExpression:   aws.String("#pk = :owner AND begins_with(#sk, :items)"),
		ExpressionAttributeNames: map[string]string{"#pk": items.PartitionKey, "#sk": items.SortKey},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":owner": str(owner), ":items": str(items.ItemPrefix),
		},
		ScanIndexForward: aws.Bool(false),
		ConsistentRead:   aws.Bool(true),
	}
}

// list returns up to n of owner's items, newest first, starting after the item with id after
// ("" for the newest). The query always names owner's partition, so whatever after says, it
// only moves the start within owner's own items.
func (s *itemStore) list(ctx context.Context, owner, after string, n int) ([]api.Item, error) {
	if s == nil {
		return nil, errNoTable
	}
	in := s.itemsQuery(owner)
	if after != "" {
		in.ExclusiveStartKey = key(owner, items.ItemKey(after))
	}
	var out []api.Item
	err := s.query(ctx, in, n, func(page *dynamodb.QueryOutput) (int, error) {
		for _, rec := range page.Items {
			it, err := readItem(rec)
			if err != nil {
				return 0, err
			}
			out = append(out, it)
		}
		return len(page.Items), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// count counts owner's items, up to upTo (the cap: more need not be counted).
func (s *itemStore) count(ctx context.Context, owner string, upTo int) (int, error) {
	if s == nil {
		return 0, errNoTable
	}
	in := s.itemsQuery(owner)
	in.Select = types.SelectCount
	total := 0
	err := s.query(ctx, in, upTo, func(page *dynamodb.QueryOutput) (int, error) {
		total += int(page.Count)
		return int(page.Count), nil
	})
	if err != nil {
		return 0, err
	}
	return total, nil
}

// query runs in page by page until n records are read or none are left, handing each page to
// read, which returns how many records the page held. A page ends at Limit or at 1 MB read;
// only an empty LastEvaluatedKey says there are no more.
func (s *itemStore) query(ctx context.Context, in *dynamodb.QueryInput, n int, read func(*dynamodb.QueryOutput) (int, error)) error {
	for done := 0; done < n; {
		in.Limit = aws.Int32(int32(n - done))
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return err
		}
		got, err := read(page)
		if err != nil {
			return err
		}
		done += got
		if len(page.LastEvaluatedKey) == 0 {
			return nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
	return nil
}

// claim is the record of one Idempotency-Key of one caller: what was asked for (the
// fingerprint), the item it creates, and whether that item is written.
type claim struct {
	keyHash     string // hex SHA-256 of the key, so any key fits a sort key
	fingerprint string
	item        api.Item
	done        bool
	claimedAt   time.Time
	expiresAt   time.Time
}

// record is the claim as stored: its item's record (readItem reads it back) under the claim's
// own sort key, with what the claim adds.
func (c claim) record() map[string]types.AttributeValue {
	rec := itemRecord(c.item)
	rec[items.SortKey] = str(items.IdempotencyPrefix + c.keyHash)
	rec[attrFingerprint] = str(c.fingerprint)
	rec[attrState] = str(stateStarted)
	if c.done {
		rec[attrState] = str(stateDone)
	}
	rec[attrClaimedAt] = num(c.claimedAt.UnixMilli())
	rec[attrTTL] = num(c.expiresAt.Unix())
	return rec
}

// getClaim reads owner's claim of keyHash; false when there is none or it expired at now
// (DynamoDB deletes expired records within days, not at once).
func (s *itemStore) getClaim(ctx context.Context, owner, keyHash string, now time.Time) (claim, bool, error) {
	if s == nil {
		return claim{}, false, errNoTable
	}
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            key(owner, items.IdempotencyPrefix+keyHash),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil || out.Item == nil {
		return claim{}, false, err
	}
	it, err := readItem(out.Item)
	fp, ok1 := stringAttr(out.Item, attrFingerprint)
	state, ok2 := stringAttr(out.Item, attrState)
	claimedAt, ok3 := numberAttr(out.Item, attrClaimedAt)
	expires, ok4 := numberAttr(out.Item, attrTTL)
	if err != nil || !ok1 || !ok2 || !ok3 || !ok4 {
		return claim{}, false, fmt.Errorf("idempotency record: %w", errMalformed)
	}
	c := claim{keyHash: keyHash, fingerprint: fp, item: it, done: state == stateDone,
		claimedAt: time.UnixMilli(claimedAt), expiresAt: time.Unix(expires, 0)}
	if !now.Before(c.expiresAt) {
		return claim{}, false, nil
	}
	return c, true, nil
}

// putClaim writes a new claim unless a live one holds the key; false means one does (another
// request with the same key got there first).
func (s *itemStore) putClaim(ctx context.Context, c claim, now time.Time) (bool, error) {
	if s == nil {
		return false, errNoTable
	}
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                aws.String(s.table),
		Item:                     c.record(),
		ConditionExpression:      aws.String("attribute_not_exists(#sk) OR #ttl <= :now"),
		ExpressionAttributeNames: map[string]string{"#sk": items.SortKey, "#ttl": attrTTL},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": num(now.Unix()),
		},
	})
	if isConditionFailed(err) {
		return false, nil
	}
	return err == nil, err
}

// finishClaim marks a claim done: its item is written.
func (s *itemStore) finishClaim(ctx context.Context, c claim) error {
	if s == nil {
		return errNoTable
	}
	c.done = true
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: c.record()})
	return err
}
