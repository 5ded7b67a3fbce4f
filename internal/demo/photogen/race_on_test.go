//go:build race

package main

// raceOn reports a build with the race detector, which slows pixel loops tenfold.
const raceOn = true
