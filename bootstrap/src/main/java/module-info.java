module ponte.bootstrap {
    requires ponte.application;
}
