module ponte.adapters.http { requires ponte.application; }
