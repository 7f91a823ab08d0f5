module ponte.application {
    requires transitive ponte.domain;
}
