package org.switchboard.ivr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class SpeechTest {

    static String zh(long n) {
        return String.join(" ", Speech.number(n, "zh")).replace("digit-", "").replace("num-", "");
    }

    static String en(long n) {
        return String.join(" ", Speech.number(n, "en")).replace("digit-", "").replace("num-", "");
    }

    @Test
    void mandarinNumbersWithTheirZerosAndTens() {
        assertThat(zh(0)).isEqualTo("0");
        assertThat(zh(7)).isEqualTo("7");
        assertThat(zh(10)).isEqualTo("shi");                       // 十
        assertThat(zh(15)).isEqualTo("shi 5");                     // 十五
        assertThat(zh(20)).isEqualTo("2 shi");                     // 二十
        assertThat(zh(105)).isEqualTo("1 bai 0 5");                // 一百零五
        assertThat(zh(110)).isEqualTo("1 bai 1 shi");              // 一百一十
        assertThat(zh(1004)).isEqualTo("1 qian 0 4");              // 一千零四
        assertThat(zh(1234)).isEqualTo("1 qian 2 bai 3 shi 4");
        assertThat(zh(10000)).isEqualTo("1 wan");                  // 一万
        assertThat(zh(10500)).isEqualTo("1 wan 0 5 bai");          // 一万零五百
        assertThat(zh(120000)).isEqualTo("shi 2 wan");             // 十二万
        assertThat(zh(99999999)).isEqualTo("9 qian 9 bai 9 shi 9 wan 9 qian 9 bai 9 shi 9");
    }

    @Test
    void englishNumbers() {
        assertThat(en(0)).isEqualTo("0");
        assertThat(en(13)).isEqualTo("13");
        assertThat(en(40)).isEqualTo("40");
        assertThat(en(42)).isEqualTo("40 2");
        assertThat(en(305)).isEqualTo("3 hundred 5");
        assertThat(en(1234)).isEqualTo("1 thousand 2 hundred 30 4");
        assertThat(en(2_000_017)).isEqualTo("2 million 17");
        assertThatThrownBy(() -> Speech.number(100_000_000L, "en")).hasMessageContaining("0 to 99999999");
    }

    @Test
    void digitsAndDates() {
        assertThat(Speech.digits("40#1")).containsExactly("digit-4", "digit-0", "digit-1");
        assertThat(Speech.date(LocalDate.of(2026, 11, 23), "zh")).containsExactly("digit-2", "digit-0", "digit-2", "digit-6", "num-nian",
                "num-shi", "digit-1", "num-yue", "digit-2", "num-shi", "digit-3", "num-ri");
        assertThat(Speech.date(LocalDate.of(2026, 11, 23), "en")).containsExactly("month-11", "num-20", "digit-3", "digit-2", "num-thousand",
                "num-20", "digit-6");
    }
}
