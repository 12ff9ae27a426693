// Package serve runs a resource provider plugin the way the Pulumi engine
// expects: listen on a free loopback port, print the port on stdout, serve
// gRPC until the engine goes away or sends an interrupt.
package serve

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// EngineAddress returns the engine address among the plugin's arguments; the
// flags the engine may pass (--logtostderr, -v=N, --tracing URL) are skipped.
func EngineAddress(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--tracing" || a == "-tracing" {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		return a
	}
	return ""
}

// Main serves srv and blocks until the server stops.
func Main(name string, srv pulumirpc.ResourceProviderServer) {
	if err := run(srv); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func run(srv pulumirpc.ResourceProviderServer) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	if addr := EngineAddress(os.Args[1:]); addr != "" {
		// Stop when the engine stops answering its health check.
		if err := rpcutil.Healthcheck(ctx, addr, 5*time.Minute, cancel); err != nil {
			return fmt.Errorf("could not start health check of the engine at %s: %w", addr, err)
		}
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
		}
	}()

	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(s *grpc.Server) error {
			pulumirpc.RegisterResourceProviderServer(s, srv)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		return err
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil && !rpcutil.IsBenignCloseErr(err) {
		return err
	}
	return nil
}
