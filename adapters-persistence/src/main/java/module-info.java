module ponte.adapters.persistence { requires ponte.application; }
