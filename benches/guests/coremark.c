// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Execution set: a CoreMark-like mix (written here, not EEMBC's code): per
// iteration, linked-list work (search, reversal, a bottom-up merge sort by one
// key and back by another), small 16-bit matrix work (scaling, matrix-vector,
// matrix-matrix, bit-field extraction), a character-class state machine
// scanning a buffer of numbers, and a bitwise CRC-16 over all the results.
// Small working set, many short branchy loops of different kinds.
#include "bench.h"

#define ITERATIONS 5400
#define LIST_NODES 100
#define MAT_N 16
#define SCAN_BYTES 512

// ---- linked list -----------------------------------------------------------

struct item {
    struct item *next;
    int16_t data;
    uint16_t idx;
};

static struct item items[LIST_NODES];

static uint16_t crc16_step(uint16_t crc, uint16_t v)
{
    for (int i = 0; i < 16; i++) {
        uint16_t bit = (uint16_t)((crc ^ v) & 1);
        crc >>= 1;
        v >>= 1;
        if (bit)
            crc ^= 0xa001;
    }
    return crc;
}

static struct item *list_init(uint32_t seed)
{
    rng_seed(seed);
    for (int i = 0; i < LIST_NODES; i++) {
        items[i].next = i + 1 < LIST_NODES ? &items[i + 1] : 0;
        items[i].idx = (uint16_t)i;
        items[i].data = (int16_t)(rng_next() & 0x7fff);
    }
    return &items[0];
}

static struct item *list_reverse(struct item *p)
{
    struct item *r = 0;
    while (p) {
        struct item *n = p->next;
        p->next = r;
        r = p;
        p = n;
    }
    return r;
}

static const struct item *list_find(const struct item *p, int16_t data)
{
    while (p && (p->data & 0xff) != data)
        p = p->next;
    return p;
}

static int by_data(const struct item *a, const struct item *b)
{
    return a->data - b->data;
}

static int by_idx(const struct item *a, const struct item *b)
{
    return (int)a->idx - (int)b->idx;
}

// Bottom-up merge sort of a list: runs of 1, 2, 4, ... merged in passes.
static struct item *list_sort(struct item *list, int (*cmp)(const struct item *, const struct item *))
{
    for (uint32_t k = 1;; k *= 2) {
        struct item *p = list, *tail = 0;
        uint32_t merges = 0;
        list = 0;
        while (p) {
            merges++;
            struct item *q = p;
            uint32_t psize = 0, qsize = k;
            while (psize < k && q) {
                psize++;
                q = q->next;
            }
            while (psize > 0 || (qsize > 0 && q)) {
                struct item *e;
                if (psize == 0) {
                    e = q; q = q->next; qsize--;
                } else if (qsize == 0 || !q || cmp(p, q) <= 0) {
                    e = p; p = p->next; psize--;
                } else {
                    e = q; q = q->next; qsize--;
                }
                if (tail)
                    tail->next = e;
                else
                    list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = 0;
        if (merges <= 1)
            return list;
    }
}

static uint16_t bench_list(struct item **head, uint16_t crc, uint32_t iter)
{
    struct item *list = *head;
    for (int i = 0; i < 8; i++) {
        const struct item *f = list_find(list, (int16_t)((iter + i * 37) & 0xff));
        crc = crc16_step(crc, f ? f->idx : 0xffff);
    }
    list = list_reverse(list);
    list = list_sort(list, by_data);
    crc = crc16_step(crc, (uint16_t)list->data);
    crc = crc16_step(crc, (uint16_t)list->next->next->data);
    // Perturb a node so the next sort has work, then restore the index order.
    list->data = (int16_t)((list->data + (int16_t)crc) & 0x7fff);
    list = list_sort(list, by_idx);
    crc = crc16_step(crc, list->idx);
    *head = list;
    return crc;
}

// ---- matrix ----------------------------------------------------------------

static int16_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N];
static int32_t mc[MAT_N][MAT_N];

static uint16_t bench_matrix(uint16_t crc, int16_t k)
{
    int32_t acc = 0;
    // C = A * k (scalar), then A += k, C = A * B (vector), C = A * B (matrix).
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            mc[i][j] = (int32_t)ma[i][j] * k;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            acc += mc[i][j] > 0 ? mc[i][j] >> 4 : 1;
    crc = crc16_step(crc, (uint16_t)acc);
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            ma[i][j] = (int16_t)(ma[i][j] + k);
    for (int i = 0; i < MAT_N; i++) {
        int32_t s = 0;
        for (int j = 0; j < MAT_N; j++)
            s += (int32_t)ma[i][j] * mb[j][0];
        mc[i][0] = s;
        acc ^= s;
    }
    crc = crc16_step(crc, (uint16_t)acc);
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            int32_t s = 0;
            for (int x = 0; x < MAT_N; x++)
                s += (int32_t)ma[i][x] * mb[x][j];
            mc[i][j] = s;
        }
    // Bit fields of the products (bits 2..5 and 7..13), summed.
    acc = 0;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            acc += ((mc[i][j] >> 2) & 15) * ((mc[i][j] >> 7) & 127);
    crc = crc16_step(crc, (uint16_t)acc);
    // Undo the addition so the matrices stay in range.
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            ma[i][j] = (int16_t)(ma[i][j] - k);
    return crc;
}

// ---- state machine ---------------------------------------------------------

enum state { START, INT, FRAC, EXP_SIGN, EXP, INVALID, NSTATES };

static char scan[SCAN_BYTES];

// Token states per character: a number, optionally signed, with a fraction
// and an exponent; anything else makes the token invalid until the next ','.
static void scan_count(const char *s, uint32_t n, uint32_t count[NSTATES])
{
    enum state st = START;
    for (uint32_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ',') {
            count[st]++;
            st = START;
            continue;
        }
        switch (st) {
        case START:
            st = (c >= '0' && c <= '9') || c == '+' || c == '-' ? INT : c == '.' ? FRAC : INVALID;
            break;
        case INT:
            st = c >= '0' && c <= '9' ? INT : c == '.' ? FRAC : c == 'e' || c == 'E' ? EXP_SIGN : INVALID;
            break;
        case FRAC:
            st = c >= '0' && c <= '9' ? FRAC : c == 'e' || c == 'E' ? EXP_SIGN : INVALID;
            break;
        case EXP_SIGN:
            st = (c >= '0' && c <= '9') || c == '+' || c == '-' ? EXP : INVALID;
            break;
        case EXP:
            st = c >= '0' && c <= '9' ? EXP : INVALID;
            break;
        default:
            break;
        }
    }
    count[st]++;
}

static void scan_init(void)
{
    static const char *const tokens[] = {"5012", "1234", "-874", "+122", "35.54400", ".1234500",
                                         "-110.700", "+0.64400", "5.500e+3", "-.123e-2", "-87e+832",
                                         "+0.6e-12", "T0.3e-1F", "-T.T++Tq", "1T3.4e4z", "34.0e-T^"};
    uint32_t pos = 0;
    rng_seed(99);
    while (pos + 10 < SCAN_BYTES) {
        const char *t = tokens[rng_next() & 15];
        while (*t)
            scan[pos++] = *t++;
        scan[pos++] = ',';
    }
    while (pos < SCAN_BYTES)
        scan[pos++] = '9';
}

static uint16_t bench_state(uint16_t crc, uint32_t iter)
{
    uint32_t count[NSTATES] = {0};
    scan_count(scan, SCAN_BYTES, count);
    // Corrupt every 13th character (from a moving start) and count again,
    // then restore.
    uint32_t first = iter % 13;
    for (uint32_t i = first; i < SCAN_BYTES; i += 13)
        scan[i] ^= 1;
    scan_count(scan, SCAN_BYTES, count);
    for (uint32_t i = first; i < SCAN_BYTES; i += 13)
        scan[i] ^= 1;
    for (int s = 0; s < NSTATES; s++)
        crc = crc16_step(crc, (uint16_t)count[s]);
    return crc;
}

int main(void)
{
    puts("coremark: list, matrix, state machine and CRC mix");
    struct item *list = list_init(7);
    rng_seed(8);
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            ma[i][j] = (int16_t)((rng_next() & 0xff) - 128);
            mb[i][j] = (int16_t)((rng_next() & 0xff) - 128);
        }
    scan_init();

    uint16_t crc = 0;
    uint32_t sum = 0;
    for (uint32_t iter = 0; iter < ITERATIONS; iter++) {
        uint16_t c_list = bench_list(&list, crc, iter);
        uint16_t c_mat = bench_matrix(c_list, (int16_t)(iter & 0x3f) + 1);
        uint16_t c_state = bench_state(c_mat, iter);
        crc = c_state;
        sum = mix(sum, (uint32_t)c_list << 16 | c_mat);
        sum = mix(sum, c_state);
        if (iter % 1800 == 0)
            printf("iteration %u: list %04x matrix %04x state %04x\n", iter, c_list, c_mat, c_state);
    }
    printf("crc %04x\n", crc);
    bench_done("coremark", sum);
    return 0;
}
