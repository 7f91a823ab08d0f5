package ponte.adapters.whatsapp.bench;

/**
 * CPU seconds used so far by this JVM, by the PostgreSQL server listening on {@code port} (postmaster and its
 * backends) and by this JVM's Node children (the Baileys oracle), read from the operating system.
 */
record CpuUse(double jvm, double postgres, double node, long wallMicros) {

    static CpuUse now(int postgresPort) {
        double postgres = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().commandLine().map(c -> c.contains(" -p " + postgresPort)
                        || c.contains("port=" + postgresPort)).orElse(false))
                .mapToDouble(p -> seconds(p) + p.descendants().mapToDouble(CpuUse::seconds).sum())
                .sum();
        double node = ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.endsWith("/node")).orElse(false))
                .mapToDouble(CpuUse::seconds).sum();
        return new CpuUse(seconds(ProcessHandle.current()), postgres, node,
                ponte.adapters.whatsapp.sandbox.PhoneInboxes.nowMicros());
    }

    CpuUse minus(CpuUse before) {
        return new CpuUse(jvm - before.jvm, postgres - before.postgres, node - before.node,
                wallMicros - before.wallMicros);
    }

    @Override
    public String toString() {
        return String.format("CPU: JVM (engine + sandbox) %.1f s, PostgreSQL %.1f s, Node (Baileys) %.1f s in %.1f s wall",
                jvm, postgres, node, wallMicros / 1e6);
    }

    private static double seconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(0.0);
    }
}
