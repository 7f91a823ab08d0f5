module ponte.adapters.delivery {
    requires ponte.application;
}
