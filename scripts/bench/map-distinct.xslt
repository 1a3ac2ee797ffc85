<?xml version="1.0" encoding="utf-8"?>
<!-- scripts/bench/map-distinct.zynk as XSLT 1.0: Muenchian grouping for the distinct
     customers, document() for the SKU -> nominal code table. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" indent="yes" encoding="utf-8"/>
  <xsl:key name="customers" match="order" use="customer/id"/>
  <xsl:variable name="codes" select="document('nominal.xml')/codes"/>
  <xsl:template match="/">
    <Company xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <Customers>
        <xsl:for-each select="/orders/order[generate-id() = generate-id(key('customers', customer/id)[1])]">
          <Customer>
            <Id><xsl:value-of select="customer/id"/></Id>
            <xsl:if test="string(customer/note) != ''">
              <AccountReference><xsl:value-of select="customer/note"/></AccountReference>
            </xsl:if>
            <CompanyName>
              <xsl:choose>
                <xsl:when test="string(billing-address/company) != ''"><xsl:value-of select="billing-address/company"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="concat(customer/first-name, ' ', customer/last-name)"/></xsl:otherwise>
              </xsl:choose>
            </CompanyName>
            <CustomerInvoiceAddress>
              <Forename><xsl:value-of select="billing-address/first-name"/></Forename>
              <Surname><xsl:value-of select="billing-address/last-name"/></Surname>
              <Town><xsl:value-of select="billing-address/city"/></Town>
              <Postcode><xsl:value-of select="billing-address/zip"/></Postcode>
              <Email><xsl:value-of select="email"/></Email>
            </CustomerInvoiceAddress>
          </Customer>
        </xsl:for-each>
      </Customers>
      <SalesOrders>
        <xsl:for-each select="/orders/order">
          <SalesOrder>
            <Id><xsl:value-of select="id"/></Id>
            <CustomerId><xsl:value-of select="customer/id"/></CustomerId>
            <SalesOrderDate><xsl:value-of select="created-at"/></SalesOrderDate>
            <Currency>
              <xsl:choose>
                <xsl:when test="string(currency) != ''"><xsl:value-of select="currency"/></xsl:when>
                <xsl:otherwise>GBP</xsl:otherwise>
              </xsl:choose>
            </Currency>
            <SalesOrderItems>
              <xsl:for-each select="line-items/line-item">
                <xsl:variable name="sku" select="sku"/>
                <Item>
                  <Sku><xsl:value-of select="sku"/></Sku>
                  <Name><xsl:value-of select="title"/></Name>
                  <QtyOrdered><xsl:value-of select="quantity"/></QtyOrdered>
                  <UnitPrice><xsl:value-of select="price"/></UnitPrice>
                  <NominalCode>
                    <xsl:choose>
                      <xsl:when test="$codes/code[@sku = $sku]"><xsl:value-of select="$codes/code[@sku = $sku]"/></xsl:when>
                      <xsl:otherwise>4000</xsl:otherwise>
                    </xsl:choose>
                  </NominalCode>
                </Item>
              </xsl:for-each>
            </SalesOrderItems>
            <Carriage>
              <UnitPrice><xsl:value-of select="sum(shipping-lines/shipping-line/price)"/></UnitPrice>
            </Carriage>
          </SalesOrder>
        </xsl:for-each>
      </SalesOrders>
    </Company>
  </xsl:template>
</xsl:stylesheet>
