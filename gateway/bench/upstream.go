// The benchmark's upstream: Go net/http answering /plaintext, as the shared peer servers do.
package main

import (
	"net/http"
	"os"
)

func main() {
	text := []byte("Hello, World!")
	http.HandleFunc("/plaintext", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(text)
	})
	http.ListenAndServe("127.0.0.1:"+os.Args[1], nil)
}
