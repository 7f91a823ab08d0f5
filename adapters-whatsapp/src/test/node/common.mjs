// What every oracle script shares: hex transport of bytes, a logger that says nothing (stdout is the answer
// channel), and an in-memory key store in the shape Baileys' auth state expects.
export const hex = (bytes) => Buffer.from(bytes).toString('hex');
export const unhex = (text) => Buffer.from(text, 'hex');

export const silentLogger = {
    level: 'silent',
    child() { return silentLogger; },
    trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}
};

export const memoryKeys = () => {
    const data = {};
    return {
        get: async (type, ids) => {
            const found = {};
            for (const id of ids) {
                if (data[type]?.[id] !== undefined) {
                    found[id] = data[type][id];
                }
            }
            return found;
        },
        set: async (changes) => {
            for (const type of Object.keys(changes)) {
                data[type] ??= {};
                for (const [id, value] of Object.entries(changes[type])) {
                    if (value === null || value === undefined) {
                        delete data[type][id];
                    } else {
                        data[type][id] = value;
                    }
                }
            }
        }
    };
};
