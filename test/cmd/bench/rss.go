package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// peakRSS builds a function, serves it as Crossplane would call it (over
// gRPC, default message limits), sends it n copies of req and returns its
// peak resident set size (VmHWM).
func peakRSS(root, step string, req *fnv1.RunFunctionRequest, n int) (int64, error) {
	dir, err := os.MkdirTemp("", "datalab-bench")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "function-"+step)
	build := exec.Command("go", "build", "-o", bin, "./functions/"+step)
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return 0, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "--insecure", "--address="+addr, "--metrics-address=")
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer cmd.Process.Kill()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(math.MaxInt32)))
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	client := fnv1.NewFunctionRunnerServiceClient(conn)
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := client.RunFunction(ctx, req)
		cancel()
		if err != nil {
			if i == 0 && time.Now().Before(deadline) && strings.Contains(err.Error(), "connect") {
				time.Sleep(200 * time.Millisecond)
				i--
				continue
			}
			return 0, fmt.Errorf("request %d: %w", i, err)
		}
	}
	return vmHWM(cmd.Process.Pid)
}

// vmHWM reads a process's peak resident set size.
func vmHWM(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM for process %d", pid)
}
