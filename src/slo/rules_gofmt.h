#pragma once
// Internal to plinth_slo's rule generator: Go's formatting of the values Sloth prints into its
// rules (fmt, strconv, time), so the text matches Sloth's to the digit.

#include <cstdint>
#include <string>
#include <string_view>

namespace plinth::slo::gofmt {

// fmt's %v (and %g) of a float64: shortest digits, exponent form below 1e-4 and from 1e6
// ("14.4", "0.0009999999999999432", "1e-05").
std::string FormatG(double v);
// strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent ("99.9").
std::string FormatF(double v);
// strconv.Quote for the UTF-8 text label values hold (control bytes escaped, the rest kept).
std::string Quote(std::string_view s);
// time.Duration.String() of whole milliseconds: "168h0m0s", "1m30s", "1.5s", "500ms".
std::string GoDuration(int64_t ms);

}  // namespace plinth::slo::gofmt
