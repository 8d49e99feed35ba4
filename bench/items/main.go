// Command items measures /items' throughput on this machine: the proxy handler (the Lambda's
// own code, called as API Gateway calls it) against the local DynamoDB (dynalite, started by
// bench/run) over loopback, as cmd/local runs it. Workers call it for a while; each figure is
// requests per second and the median latency.
//
//	go run ./bench/items -endpoint http://127.0.0.1:4567 [-seconds 5] [-workers 4]
//
// Three phases, one after the other, on a new table: POST /items (each with a new
// Idempotency-Key, by as many callers as workers, 90 items each so no caller reaches the cap),
// GET /items (the newest 20 of the caller's 90), GET /items/{id}. It prints one JSON line.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/cognito-apigw/cognito-apigw/internal/fnenv"
	"github.com/cognito-apigw/cognito-apigw/internal/localdb"
	"github.com/cognito-apigw/cognito-apigw/internal/testkit"
	"github.com/cognito-apigw/cognito-apigw/lambda/proxy/handler"
)

func main() {
	endpoint := flag.String("endpoint", "", "the local DynamoDB's `URL` (bench/run starts dynalite)")
	seconds := flag.Float64("seconds", 5, "how long the GET phases run, in `seconds`")
	workers := flag.Int("workers", 4, "concurrent callers")
	flag.Parse()
	if err := run(*endpoint, time.Duration(*seconds*float64(time.Second)), *workers); err != nil {
		fmt.Fprintln(os.Stderr, "items:", err)
		os.Exit(1)
	}
}

// perCaller is how many items each caller adds: under the cap of 100.
const perCaller = 90

func run(endpoint string, d time.Duration, workers int) error {
	db, err := localdb.Client(endpoint)
	if err != nil {
		return err
	}
	ctx := context.Background()
	table := fmt.Sprintf("bench-items-%d", time.Now().UnixNano())
	if _, err := localdb.EnsureTable(ctx, db, table); err != nil {
		return err
	}
	h, err := handler.New(fnenv.Proxy{Routes: testkit.SampleRoutes(), Clients: fnenv.Clients{Web: []string{testkit.ClientID}}, ItemsTable: table},
		&handler.Options{Logger: slog.New(slog.DiscardHandler), DynamoDB: db})
	if err != nil {
		return err
	}
	out := map[string]any{"workers": workers, "endpoint": "dynalite"}

	// POST: every worker is a caller adding perCaller items.
	var ids [][]string = make([][]string, workers)
	var keys atomic.Int64
	post := phase(workers, 0, func(w int) (int, bool) {
		if len(ids[w]) == perCaller {
			return 0, false
		}
		ev := request("POST", "/items", caller(w))
		ev.Body = `{"name":"Buy milk"}`
		ev.Headers = map[string]string{"Idempotency-Key": fmt.Sprintf("bench-%d", keys.Add(1))}
		resp, _ := h.Handle(ctx, ev)
		if resp.StatusCode == 201 {
			var it struct{ ID string }
			json.Unmarshal([]byte(resp.Body), &it)
			ids[w] = append(ids[w], it.ID)
		}
		return resp.StatusCode, true
	})
	out["post"] = post

	out["list"] = phase(workers, d, func(w int) (int, bool) {
		resp, _ := h.Handle(ctx, request("GET", "/items", caller(w)))
		return resp.StatusCode, true
	})
	var n atomic.Int64
	out["get"] = phase(workers, d, func(w int) (int, bool) {
		ev := request("GET", "/items/{id}", caller(w))
		ev.PathParameters = map[string]string{"id": ids[w][int(n.Add(1))%len(ids[w])]}
		resp, _ := h.Handle(ctx, ev)
		return resp.StatusCode, true
	})
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
	return nil
}

// caller is worker w's sub.
func caller(w int) string { return fmt.Sprintf("bench-caller-%d", w) }

// request is an event of method on resource as API Gateway's Cognito authorizer passes it, for
// an access token of sub with both scopes.
func request(method, resource, sub string) events.APIGatewayProxyRequest {
	return events.APIGatewayProxyRequest{
		HTTPMethod: method, Resource: resource, Path: strings.ReplaceAll(resource, "{id}", "x"),
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "bench", Authorizer: map[string]any{"claims": map[string]any{
			"sub": sub, "username": sub, "token_use": "access", "client_id": testkit.ClientID,
			"scope": "demo-api/read demo-api/write", "exp": "Mon Nov 22 10:00:00 UTC 2100",
		}}},
	}
}

// phase runs call from workers goroutines until each says it is done or d has passed (d 0:
// until done), and returns the requests per second, the median latency and how many answered
// with a status other than 2xx.
func phase(workers int, d time.Duration, call func(w int) (status int, more bool)) map[string]any {
	var mu sync.Mutex
	var lat []time.Duration
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			var mine []time.Duration
			for d == 0 || time.Since(start) < d {
				t := time.Now()
				status, more := call(w)
				if !more {
					break
				}
				mine = append(mine, time.Since(t))
				if status >= 300 {
					failed.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	med := time.Duration(0)
	if len(lat) > 0 {
		med = lat[len(lat)/2]
	}
	return map[string]any{
		"requests":   len(lat),
		"per_second": int(float64(len(lat))/elapsed.Seconds() + 0.5),
		"median_ms":  float64(med.Microseconds()) / 1000,
		"failed":     failed.Load(),
	}
}
