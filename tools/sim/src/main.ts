// tools/sim entry point: filled in by the simulator work
export {}
