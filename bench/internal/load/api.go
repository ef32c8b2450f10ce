package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// apiPoster publishes through sio-fast's HTTP publish API (POST /api/emit
// of the standalone server, standalone/api.go): a pool of goroutines, each
// with a keep-alive connection, posts the bodies the publisher hands it.
// The publisher never waits for an answer unless every poster is busy, so
// a fixed rate stays fixed and "as fast as absorbed" is bounded by the
// scenario's window, as for the WebSocket publishers.
type apiPoster struct {
	url, auth string
	client    *http.Client
	jobs      chan []byte
	err       atomic.Pointer[error]
	requests  atomic.Uint64 // answered 200
	wg        sync.WaitGroup
}

// newAPIPoster starts conns posters to url (the API's base URL, e.g.
// http://127.0.0.1:3001) with the API key.
func newAPIPoster(url, key string, conns int) *apiPoster {
	conns = max(conns, 1)
	p := &apiPoster{
		url: url + "/api/emit", auth: "apikey " + key, jobs: make(chan []byte),
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: conns, MaxIdleConnsPerHost: conns, DisableCompression: true,
		}},
	}
	p.wg.Add(conns)
	for range conns {
		go p.run()
	}
	return p
}

// post hands a copy of body to a poster, waiting while all are busy. It
// returns the first error any request met (the run stops on it).
func (p *apiPoster) post(body []byte) error {
	if err := p.err.Load(); err != nil {
		return *err
	}
	p.jobs <- bytes.Clone(body)
	return nil
}

func (p *apiPoster) run() {
	defer p.wg.Done()
	for body := range p.jobs {
		if err := p.do(body); err != nil {
			p.err.CompareAndSwap(nil, &err)
		}
	}
}

// do posts one body and checks the answer is 200.
func (p *apiPoster) do(body []byte) error {
	req, err := http.NewRequest("POST", p.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", p.auth)
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("load: POST %s: %w", p.url, err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("load: POST %s: %d %s", p.url, resp.StatusCode, bytes.TrimSpace(answer))
	}
	p.requests.Add(1)
	return nil
}

// close stops the posters once the bodies handed over are posted.
func (p *apiPoster) close() {
	close(p.jobs)
	p.wg.Wait()
	p.client.CloseIdleConnections()
}

// ErrNoAPI: an API scenario without Config.APIURL.
var ErrNoAPI = errors.New("load: the apifanout and apiemit scenarios need -api (the server's publish API URL)")
