// Boost.JSON's implementation, compiled from its headers where libboost_json is not installed
// (CMake option BGM_BOOST_JSON_FROM_HEADERS, or automatically when the library is missing).
#include <boost/json/src.hpp>
