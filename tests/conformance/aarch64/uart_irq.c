// SPDX-License-Identifier: MIT OR Apache-2.0
//
// PL011 receive interrupts (ARM DDI 0183 "PrimeCell UART (PL011) Technical
// Reference Manual", 3.3 register descriptions, 3.4 "Interrupts") through
// the GICv2 (SPI 1 = INTID 33 on `virt`).  The input is scripted: the test
// scripts feed uart_irq.input (beside this file) to the serial port, so
// QEMU and Chimera read the same bytes.  The bytes arrive at whatever pace
// the host delivers them, so nothing printed depends on how many arrived
// per interrupt: each byte is printed as it is read, and the interrupt
// count only as bounds.
//
// The FIFOs stay disabled (UARTLCR_H.FEN = 0, the reset value): the
// receive "FIFO" is a one-byte holding register, so no byte can be lost
// while the program is not reading.  (Enabling them is not tested: QEMU
// 7.2 empties the receive FIFO when FEN changes, losing a byte that may or
// may not have arrived yet.)
#include "irq.h"

#define UART_REG(off) (*(volatile uint32_t *)(UART0_BASE + (off)))
#define UARTDR    UART_REG(0x000)
#define UARTFR    UART_REG(0x018)
#define UARTLCR_H UART_REG(0x02c)
#define UARTCR    UART_REG(0x030)
#define UARTIFLS  UART_REG(0x034)
#define UARTIMSC  UART_REG(0x038)
#define UARTRIS   UART_REG(0x03c)
#define UARTMIS   UART_REG(0x040)
#define UARTICR   UART_REG(0x044)

// UARTFR (3.3.3) and the interrupt bits of IMSC/RIS/MIS/ICR (3.3.10-3.3.13).
#define FR_RXFE (1u << 4)
#define INT_RX  (1u << 4)
#define INT_TX  (1u << 5)
#define INT_RT  (1u << 6)
#define INT_ALL 0x7ffu

#define TERMINATOR '#' // the last byte of uart_irq.input

static char text[256];
static volatile unsigned nbytes;
static volatile int taken, done;

// One received byte, printed as soon as it is read.
static void got(uint32_t dr)
{
    unsigned c = dr & 0xff;
    if (c >= 0x20 && c < 0x7f)
        printf("  rx %02x '%c' (DR[11:8]=%x)\n", c, c, (dr >> 8) & 0xf);
    else
        printf("  rx %02x (DR[11:8]=%x)\n", c, (dr >> 8) & 0xf);
    if (nbytes < sizeof(text) - 1)
        text[nbytes] = (char)c;
    nbytes++;
    if (c == TERMINATOR)
        done = 1;
}

void handle_exception(uint64_t idx, struct frame *f)
{
    if (idx != V_CUR_SPX_IRQ) {
        printf("*** EXCEPTION unexpected: vector %lu esr=%08lx elr=%lx\n", idx, esr_read(), f->elr);
        __poweroff();
    }
    uint32_t iar = gicc_read(GICC_IAR);
    unsigned id = iar & 0x3ff;
    if (taken++ == 0)
        printf("  first irq: VBAR+0x%03lx id %u MIS=%03x\n", idx * 0x80, id, UARTMIS);
    if (id == INTID_UART) {
        // Drain the receiver (3.4.2: the receive interrupt is cleared by
        // reading the data).  Stop at the terminator.
        while (!done && !(UARTFR & FR_RXFE))
            got(UARTDR);
        if (done)
            UARTIMSC = 0;
    }
    if (id < 1020)
        gicc_write(GICC_EOIR, iar);
}

int main(void)
{
    printf("uart_irq: begin\n");
    irq_install();

    // --- Reset values (3.3).
    printf("UARTLCR_H=%02x UARTCR=%04x UARTIFLS=%02x UARTIMSC=%03x\n", UARTLCR_H, UARTCR,
           UARTIFLS, UARTIMSC);

    // --- Polled: wait for the first byte.  With the FIFO disabled the
    // holding register is then full and nothing else can arrive.
    while (UARTFR & FR_RXFE)
        ;
    // TXRIS is set here because this program has written bytes.
    uint32_t fr = UARTFR, ris = UARTRIS, mis = UARTMIS;
    printf("first byte waiting: FR=%03x RIS=%03x MIS=%03x\n", fr, ris, mis);
    // UARTICR (3.3.13) clears the raw status; for a receive interrupt
    // with the FIFO disabled, 3.4.2 says it "is cleared by performing a
    // single read of the receive FIFO, or by clearing the interrupt".
    UARTICR = INT_ALL;
    ris = UARTRIS;
    UARTIMSC = INT_RX;
    mis = UARTMIS;
    UARTIMSC = 0;
    fr = UARTFR;
    printf("ICR <- 7ff with the byte unread: RIS=%03x, IMSC=RX: MIS=%03x, FR=%03x\n", ris, mis, fr);
    printf("polled read:\n");
    got(UARTDR);

    // --- UARTIMSC read-back: bits [10:0] are the mask bits.  (Not
    // written: the reserved bits [15:11], "read as zero" in 3.3.10, which
    // QEMU 7.2 stores and reads back.)
    uint32_t imsc[2];
    UARTIMSC = INT_RX | INT_RT;
    imsc[0] = UARTIMSC;
    UARTIMSC = INT_ALL;
    imsc[1] = UARTIMSC;
    UARTIMSC = 0;
    printf("IMSC <- 050: %03x; <- 7ff: %03x\n", imsc[0], imsc[1]);
    UARTICR = INT_TX;
    ris = UARTRIS;
    printf("ICR <- TX: RIS.TX=%u\n", (ris >> 5) & 1);
    printf("  after printing that line: RIS.TX=%u\n", (UARTRIS >> 5) & 1);

    // --- Interrupt-driven: IMSC = RX|RT, SPI 33 enabled in the GIC; the
    // handler reads every byte there is.  (QEMU 7.2 never raises the
    // receive timeout interrupt RT: its receive "trigger level" is one
    // byte, so RX always comes first.)
    gic_priority(INTID_UART, 0x80);
    gic_enable(INTID_UART);
    gic_on(0xf0);
    UARTIMSC = INT_RX | INT_RT;
    printf("interrupt-driven reads until '%c':\n", TERMINATOR);
    irq_mask();
    while (!done) {
        __asm__ volatile("wfi" ::: "memory");
        irq_unmask();
        irq_mask();
    }
    text[nbytes < sizeof(text) ? nbytes : sizeof(text) - 1] = 0;
    printf("received %u bytes; interrupts taken: at least 1: %s, at most one per byte: %s\n",
           nbytes, taken >= 1 ? "yes" : "no", (unsigned)taken <= nbytes ? "yes" : "no");
    printf("echo: %s\n", text);
    // All input read: the holding register is empty.
    fr = UARTFR;
    ris = UARTRIS;
    printf("after the last byte: FR=%03x RIS.RX=%u IMSC=%03x ISPENDR1=%08x\n", fr, (ris >> 4) & 1,
           UARTIMSC, gicd_read(GICD_ISPENDR + 4));
    printf("uart_irq: end\n");
    return 0;
}
