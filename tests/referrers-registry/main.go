// referrers-registry: go-containerregistry's registry (pkg/registry, the in-memory registry
// cosign's and crane's own tests run against) with the OCI 1.1 referrers API turned on, over
// https. CNCF Distribution (the tests' other registry) has no referrers API, so clients fall
// back to the referrers tag there; this one answers GET /v2/NAME/referrers/DIGEST and sends
// OCI-Subject when a manifest with a subject is pushed. No authentication.
//
//	referrers-registry --address 127.0.0.1:PORT --tls-cert server.pem --tls-key server.key
//
// Prints "listening on ADDRESS" once it accepts connections.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	address := flag.String("address", "127.0.0.1:0", "host:port to listen on")
	cert := flag.String("tls-cert", "", "PEM certificate")
	key := flag.String("tls-key", "", "PEM private key")
	flag.Parse()
	if *cert == "" || *key == "" {
		fmt.Fprintln(os.Stderr, "referrers-registry: --tls-cert and --tls-key are required")
		os.Exit(2)
	}
	listener, err := net.Listen("tcp", *address)
	if err != nil {
		log.Fatal(err)
	}
	server := &http.Server{
		Handler:           registry.New(registry.WithReferrersSupport(true), registry.Logger(log.New(os.Stderr, "", 0))),
		ReadHeaderTimeout: 5 * time.Second,
	}
	fmt.Printf("listening on %s\n", listener.Addr())
	log.Fatal(server.ServeTLS(listener, *cert, *key))
}
